// The `zerovm` command line → what to do. As in wasmtime, options end at PROGRAM (or at `--`):
// everything after it is the guest's, `--help` included.
import { posix } from 'node:path';
import type { Manifest, Mount } from '../contract/manifest.js';
import { parseBytes, parseMs } from '../contract/units.js';

export const USAGE = `usage: zerovm run [OPTIONS] PROGRAM.wasm [ARGS...]
       zerovm replay [--report FILE] MANIFEST.json REPORT.json
       zerovm --help | --version`;

export const HELP = `${USAGE}

zerovm run runs PROGRAM.wasm, a WASI preview1 command, in a fresh VM that is thrown away after
the run. Its stdout and stderr pass through, and zerovm's stdin is its stdin, read as the guest
reads it: a pipe is not read ahead, and at a terminal the guest reads each line as it is typed
(Ctrl-D ends the input). zerovm exits with the guest's exit code, or 124 on a timeout, 134 on a
trap, 126 when the run was refused, 130 and 143 on Ctrl-C and TERM, and 2 on bad usage.

zerovm replay runs a recorded run again from the live input its report recorded, with the same
output and etags: MANIFEST.json is the manifest the run used (run --save-manifest writes it),
REPORT.json its report (run --report). Its output and exit code are as run's.

Options come before PROGRAM. Everything after PROGRAM (or after --) is the guest's argv,
--help included. A value follows its flag as the next argument or after '=': --timeout 30s
and --timeout=30s are the same.

  --dir DIR              copy host directory DIR into the VM and preopen it, at the same
                         path taken from / (as wasmtime's --dir DIR looks to a WASI program):
                         --dir . is the guest's /, --dir data its /data; the guest's changes
                         stay in the VM
  --dir HOST::GUEST      the same, with HOST at guest path GUEST (HOST:/GUEST works too)
  --env NAME=VALUE       set an environment variable for the guest; repeat for more
  --stdin FILE           the guest's stdin is FILE's bytes; - is zerovm's own stdin, passed
                         through live: the default, unless the manifest gives stdin
  --in NAME=FILE         the guest's /dev/in/NAME holds FILE's bytes; NAME=- passes zerovm's
                         stdin to it live instead, and the guest's stdin is then empty (one
                         channel at most takes zerovm's stdin); repeat for more
  --out NAME=FILE        stream what the guest writes to /dev/out/NAME into FILE as it writes
                         (NAME=- to zerovm's stdout); the guest waits while FILE is behind;
                         repeat for more
  --memory SIZE          most linear memory the guest may have, its files included: a number
                         of bytes or 64KiB, 64MiB, 1GiB... from 64KiB to 4GiB (default 512MiB)
  --timeout DURATION     wall-clock limit, as 500ms, 30s or 2m; a bare number is milliseconds
                         (default 30s)
  --seed N               seed of the guest's random bytes, a whole number (default 0)
  --epoch NS             start of the guest's realtime clock, in ns since 1970 (default 0)
  --realtime             give up determinism: real clocks and real random bytes
  --manifest FILE        take the run from a JSON manifest; PROGRAM, ARGS and the flags
                         override its fields
  --report FILE          write the run's JSON report to FILE, checked writable before the
                         run (with replay: the replayed run's report)
  --save-manifest FILE   write the manifest the run uses to FILE as JSON, before it starts:
                         with the report, what zerovm replay needs
  -h, --help             print this help
  -V, --version          print zerovm's version`;

/** Bad usage: printed on one line with a hint where to read more; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = '(see zerovm run --help)',
  ) {
    super(message);
  }
}

/** A named channel bound by --in or --out: its NAME, and FILE or `-` (zerovm's own stdin or stdout). */
export interface ChannelFlag {
  name: string;
  file: string;
}

/** Every mount from a flag names a host directory. */
type HostMount = Required<Pick<Mount, 'guest' | 'host'>>;

export interface CliOptions {
  program?: string;
  args: string[];
  env: Record<string, string>;
  mounts: HostMount[];
  /** FILE, or `-`: zerovm's stdin, live (as without the flag, but over the manifest's stdin). */
  stdinFile?: string;
  inputs: ChannelFlag[];
  outputs: ChannelFlag[];
  manifestFile?: string;
  reportFile?: string;
  saveManifestFile?: string;
  limits: NonNullable<Manifest['limits']>;
  determinism: NonNullable<Manifest['determinism']>;
}

export interface ReplayOptions {
  manifestFile: string;
  /** The recorded run's report, holding its `inputs`. */
  recordFile: string;
  /** Where the replayed run's report goes. */
  reportFile?: string;
}

export type Command =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'replay'; options: ReplayOptions }
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
function parseDir(spec: string): HostMount {
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

/** NAME=FILE or NAME=- for --in and --out, NAME as a channel path allows it, each NAME once. */
function channelFlag(flag: '--in' | '--out', spec: string, taken: ChannelFlag[]): ChannelFlag {
  const eq = spec.indexOf('=');
  const [name, file] = [spec.slice(0, eq), spec.slice(eq + 1)];
  if (eq <= 0 || file === '') throw new UsageError(`${flag} takes NAME=FILE or NAME=-, not "${spec}"`);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`${flag} ${spec}: a channel NAME holds only letters, digits, . _ and -`);
  if (taken.some((c) => c.name === name)) throw new UsageError(`${flag} ${name} is given twice`);
  return { name, file };
}

interface Flags<T> {
  values: Map<string, (o: T, value: string) => void>;
  switches: Map<string, (o: T) => void>;
}

const RUN_FLAGS: Flags<CliOptions> = {
  values: new Map<string, (o: CliOptions, value: string) => void>([
    ['--env', (o, pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
      o.env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }],
    ['--dir', (o, spec) => void o.mounts.push(parseDir(spec))],
    ['--stdin', (o, file) => void (o.stdinFile = file)],
    ['--in', (o, spec) => void o.inputs.push(channelFlag('--in', spec, o.inputs))],
    ['--out', (o, spec) => void o.outputs.push(channelFlag('--out', spec, o.outputs))],
    ['--manifest', (o, file) => void (o.manifestFile = file)],
    ['--report', (o, file) => void (o.reportFile = file)],
    ['--save-manifest', (o, file) => void (o.saveManifestFile = file)],
    ['--memory', (o, value) => void (o.limits.memory = memory(value))],
    ['--timeout', (o, value) => void (o.limits.timeout = timeout(value))],
    ['--seed', (o, value) => void (o.determinism.seed = wholeNumber('--seed', value))],
    ['--epoch', (o, value) => void (o.determinism.epoch = wholeNumber('--epoch', value))],
  ]),
  switches: new Map([['--realtime', (o) => void (o.determinism.realtime = true)]]),
};

/**
 * Reads flags from the front of `argv` into `options` up to the first operand (or `--`): the
 * index of that operand, or 'help'.
 */
function readFlags<T>(argv: string[], flags: Flags<T>, options: T, hint?: string): number | 'help' {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return i + 1;
    if (!arg.startsWith('-') || arg === '-') return i;
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

/** `zerovm run`'s arguments (after `run`). */
export function parseRunArgs(argv: string[]): Command {
  const options: CliOptions = { args: [], env: {}, mounts: [], inputs: [], outputs: [], limits: {}, determinism: {} };
  const at = readFlags(argv, RUN_FLAGS, options);
  if (at === 'help') return { kind: 'help' };
  // zerovm's stdin can feed one channel: the flags that give it, if more than one, are named
  const readers = [
    ...(options.stdinFile === '-' ? ['--stdin -'] : []),
    ...options.inputs.filter((c) => c.file === '-').map((c) => `--in ${c.name}=-`),
  ];
  if (readers.length > 1) throw new UsageError(`${readers.join(' and ')}: zerovm's stdin can be passed to one channel only`);
  options.program = argv[at];
  options.args = argv.slice(at + 1);
  return { kind: 'run', options };
}

const REPLAY_HINT = '(see zerovm replay --help)';

/** `zerovm replay`'s arguments (after `replay`). */
export function parseReplayArgs(argv: string[]): Command {
  const given: { reportFile?: string } = {};
  const flags: Flags<typeof given> = { values: new Map([['--report', (o, file) => void (o.reportFile = file)]]), switches: new Map() };
  const at = readFlags(argv, flags, given, REPLAY_HINT);
  if (at === 'help') return { kind: 'help' };
  const operands = argv.slice(at);
  if (operands.length !== 2) {
    throw new UsageError(`replay takes two files, MANIFEST.json and REPORT.json, not ${operands.length}`, REPLAY_HINT);
  }
  const [manifestFile, recordFile] = operands;
  return { kind: 'replay', options: { manifestFile, recordFile, ...given } };
}

/** The whole command line (process.argv without node and the script). */
export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  const hint = '(see zerovm --help)';
  switch (command) {
    case undefined: return { kind: 'usage' };
    case 'run': return parseRunArgs(rest);
    case 'replay': return parseReplayArgs(rest);
    case 'help': case '--help': case '-h': return { kind: 'help' };
    case '--version': case '-V': return { kind: 'version' };
  }
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`, hint);
  if (/\.wasm$/i.test(command)) throw new UsageError(`unknown command "${command}"; did you mean zerovm run ${command}?`, '');
  throw new UsageError(`unknown command "${command}"`, hint);
}
