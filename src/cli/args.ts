// The `zerovm` command line → what to do. As in wasmtime, options end at PROGRAM (or at `--`):
// everything after it is the guest's, `--help` included.
import { posix } from 'node:path';
import type { Manifest, Mount } from '../contract/manifest.js';
import { parseBytes, parseMs } from '../contract/units.js';

export const USAGE = `usage: zerovm run [OPTIONS] PROGRAM.wasm [ARGS...]
       zerovm --help | --version`;

export const HELP = `${USAGE}

Runs PROGRAM.wasm, a WASI preview1 command, in a fresh VM that is thrown away after the run.
Its stdout and stderr pass through; zerovm exits with its exit code, or 124 on a timeout,
134 on a trap, 126 when the run was refused, and 2 on bad usage.

Options come before PROGRAM. Everything after PROGRAM (or after --) is the guest's argv,
--help included. A value follows its flag as the next argument or after '=': --timeout 30s
and --timeout=30s are the same.

  --dir DIR            copy host directory DIR into the VM and preopen it, at the same path
                       taken from / (as wasmtime's --dir DIR looks to a WASI program):
                       --dir . is the guest's /, --dir data its /data; the guest's changes
                       stay in the VM
  --dir HOST::GUEST    the same, with HOST at guest path GUEST (HOST:/GUEST works too)
  --env NAME=VALUE     set an environment variable for the guest; repeat for more
  --stdin FILE         the guest's stdin is FILE (- for zerovm's own stdin); without it a
                       piped or redirected stdin is the guest's, and a terminal gives none
  --memory SIZE        most linear memory the guest may have, its files included: a number
                       of bytes or 64KiB, 64MiB, 1GiB... from 64KiB to 4GiB (default 512MiB)
  --timeout DURATION   wall-clock limit, as 500ms, 30s or 2m; a bare number is milliseconds
                       (default 30s)
  --seed N             seed of the guest's random bytes, a whole number (default 0)
  --epoch NS           start of the guest's realtime clock, in ns since 1970 (default 0)
  --realtime           give up determinism: real clocks and real random bytes
  --manifest FILE      take the run from a JSON manifest; PROGRAM, ARGS and the flags
                       override its fields
  --report FILE        write the run's JSON report to FILE, checked writable before the run
  -h, --help           print this help
  -V, --version        print zerovm's version`;

/** Bad usage: printed on one line with a hint where to read more; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = '(see zerovm run --help)',
  ) {
    super(message);
  }
}

export interface CliOptions {
  program?: string;
  args: string[];
  env: Record<string, string>;
  /** Every mount from a flag names a host directory. */
  mounts: Required<Mount>[];
  stdinFile?: string;
  manifestFile?: string;
  reportFile?: string;
  limits: NonNullable<Manifest['limits']>;
  determinism: NonNullable<Manifest['determinism']>;
}

export type Command =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  /** No command at all: the usage lines to stderr, exit 2. */
  | { kind: 'usage' };

const PAGE = 65536;
/** wasm32's memory limit: 65536 pages. Past it the lowered maximum would make the module invalid. */
const MAX_MEMORY = 65536 * PAGE;

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

function memory(value: string): number {
  const bytes = parseBytes(value);
  if (bytes === null) throw new UsageError(`--memory takes a size such as 64MiB or 1GiB, not "${value}"`);
  if (bytes > MAX_MEMORY) throw new UsageError(`--memory ${value}: more than 4GiB, the most a wasm32 memory can hold`);
  if (bytes < PAGE) throw new UsageError(`--memory ${value}: less than one 64KiB page`);
  return bytes;
}

function timeout(value: string): number {
  const ms = parseMs(value);
  if (ms === null || ms === 0) throw new UsageError(`--timeout takes a duration above 0 such as 30s or 500ms, not "${value}"`);
  return ms;
}

/**
 * wasmtime's forms: DIR (the guest sees the same name) and HOST::GUEST; ours, HOST:/GUEST. A guest
 * name is made absolute from /, which is where wasi-libc resolves a relative preopen name anyway.
 */
function parseDir(spec: string): Required<Mount> {
  const [host, guest] = splitDir(spec);
  if (host === '' || guest === '') throw new UsageError(`--dir takes DIR, HOST::GUEST or HOST:/GUEST, not "${spec}"`);
  return { host, guest: posix.resolve('/', guest) };
}

function splitDir(spec: string): [host: string, guest: string] {
  const double = spec.indexOf('::');
  if (double >= 0) return [spec.slice(0, double), spec.slice(double + 2)];
  const single = spec.indexOf(':/'); // any other colon belongs to a directory's name
  if (single > 0) return [spec.slice(0, single), spec.slice(single + 1)];
  return [spec, spec];
}

const VALUE_FLAGS = new Map<string, (o: CliOptions, value: string) => void>([
  ['--env', (o, pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
    o.env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }],
  ['--dir', (o, spec) => void o.mounts.push(parseDir(spec))],
  ['--stdin', (o, file) => void (o.stdinFile = file)],
  ['--manifest', (o, file) => void (o.manifestFile = file)],
  ['--report', (o, file) => void (o.reportFile = file)],
  ['--memory', (o, value) => void (o.limits.memory = memory(value))],
  ['--timeout', (o, value) => void (o.limits.timeout = timeout(value))],
  ['--seed', (o, value) => void (o.determinism.seed = wholeNumber('--seed', value))],
  ['--epoch', (o, value) => void (o.determinism.epoch = wholeNumber('--epoch', value))],
]);

const SWITCHES = new Map<string, (o: CliOptions) => void>([['--realtime', (o) => void (o.determinism.realtime = true)]]);

/** `zerovm run`'s arguments (after `run`). */
export function parseRunArgs(argv: string[]): Command {
  const options: CliOptions = { args: [], env: {}, mounts: [], limits: {}, determinism: {} };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '-h' || flag === '--help') return { kind: 'help' };
    const takesValue = VALUE_FLAGS.get(flag);
    const toggles = SWITCHES.get(flag);
    if (takesValue) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      takesValue(options, value);
    } else if (toggles) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      toggles(options);
    } else {
      throw new UsageError(`unknown option ${flag}`);
    }
  }
  options.program = argv[i];
  options.args = argv.slice(i + 1);
  return { kind: 'run', options };
}

/** The whole command line (process.argv without node and the script). */
export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  const hint = '(see zerovm --help)';
  switch (command) {
    case undefined: return { kind: 'usage' };
    case 'run': return parseRunArgs(rest);
    case 'help': case '--help': case '-h': return { kind: 'help' };
    case '--version': case '-V': return { kind: 'version' };
  }
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`, hint);
  if (/\.wasm$/i.test(command)) throw new UsageError(`unknown command "${command}"; did you mean zerovm run ${command}?`, '');
  throw new UsageError(`unknown command "${command}"`, hint);
}
