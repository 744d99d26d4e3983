// `zerovm run` command line → a partial Manifest. Options stop at PROGRAM: what follows is the guest's.
import type { Manifest, Mount } from '../contract/manifest.js';

export const USAGE = `usage: zerovm run [--env K=V]... [--dir HOST:GUEST]... [--stdin FILE] [--memory BYTES]
                  [--timeout MS] [--seed N] [--epoch NS] [--realtime] [--manifest FILE]
                  [--report FILE] PROGRAM.wasm [ARGS...]`;

export class UsageError extends Error {}

export interface CliOptions {
  program?: string;
  args: string[];
  env: Record<string, string>;
  mounts: Mount[];
  stdinFile?: string;
  manifestFile?: string;
  reportFile?: string;
  limits: NonNullable<Manifest['limits']>;
  determinism: NonNullable<Manifest['determinism']>;
}

function number(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

export function parseRunArgs(argv: string[]): CliOptions {
  const options: CliOptions = { args: [], env: {}, mounts: [], limits: {}, determinism: {} };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('--')) break;
    switch (arg) {
      case '--env': {
        const pair = value(arg);
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
        options.env[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--dir': {
        const spec = value(arg);
        const colon = spec.lastIndexOf(':');
        const host = colon > 0 ? spec.slice(0, colon) : spec;
        const guest = colon > 0 ? spec.slice(colon + 1) : spec;
        if (!guest.startsWith('/')) throw new UsageError(`--dir takes HOST:GUEST with an absolute GUEST path, not "${spec}"`);
        options.mounts.push({ host, guest });
        break;
      }
      case '--stdin': options.stdinFile = value(arg); break;
      case '--manifest': options.manifestFile = value(arg); break;
      case '--report': options.reportFile = value(arg); break;
      case '--memory': options.limits.memory = number(arg, value(arg)); break;
      case '--timeout': options.limits.timeout = number(arg, value(arg)); break;
      case '--seed': options.determinism.seed = number(arg, value(arg)); break;
      case '--epoch': options.determinism.epoch = number(arg, value(arg)); break;
      case '--realtime': options.determinism.realtime = true; break;
      default: throw new UsageError(`unknown option ${arg}`);
    }
  }
  options.program = argv[i];
  options.args = argv.slice(i + 1);
  return options;
}
