// What every zerovm command line shares: the usage error, and reading flags (`--flag VALUE`,
// `--flag=VALUE`, switches, `-h`/`--help`, `--` ending the options).

/** Bad usage: printed on one line with a hint where to read more; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = '(see zerovm run --help)',
  ) {
    super(message);
  }
}

export interface Flags<T> {
  values: Map<string, (o: T, value: string) => void>;
  switches: Map<string, (o: T) => void>;
}

export function wholeNumber(flag: string, value: string, hint?: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number, not "${value}"`, hint);
  return Number(value);
}

/**
 * Reads flags from the front of `argv` into `options` up to the first operand (or `--`): the
 * index of that operand, or 'help'. Given `operands`, flags may come between operands too (no
 * guest argv follows): every operand goes into it, and the answer is argv's length.
 */
export function readFlags<T>(argv: string[], flags: Flags<T>, options: T, hint?: string, operands?: string[]): number | 'help' {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      if (!operands) return i + 1;
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!operands) return i;
      operands.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '-h' || flag === '--help') return 'help';
    const takesValue = flags.values.get(flag);
    const toggles = flags.switches.get(flag);
    if (takesValue) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`, hint);
      takesValue(options, value);
    } else if (toggles) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`, hint);
      toggles(options);
    } else {
      throw new UsageError(`unknown option ${flag}`, hint);
    }
  }
  return argv.length;
}
