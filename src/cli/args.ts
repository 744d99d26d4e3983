// The `zerovm` command line → what to do. As in wasmtime, options end at PROGRAM (or at `--`):
// everything after it is the guest's, `--help` included.
import { posix, resolve } from 'node:path';
import type { Manifest, Mount } from '../contract/manifest.js';
import { parseBytes, parseMs } from '../contract/units.js';
import { VOLUME_NAME } from '../host/volumes/store.js';
import { type Flags, readFlags, UsageError, wholeNumber } from './flags.js';
import { parseVolumeArgs, type VolumeCommand } from './volume-args.js';

export { UsageError };

export const USAGE = `usage: zerovm run [OPTIONS] PROGRAM.wasm [ARGS...]
       zerovm replay [--report FILE] MANIFEST.json REPORT.json
       zerovm volume ls | history | export | import | restore ...  (see zerovm volume --help)
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

zerovm volume lists the volumes that zerovm run --volume mounts, and shows one's history,
exports it as a tar, imports one, or restores an old version (see zerovm volume --help). After
a run, a volume whose changes were not kept (a conflict, or rolled back by its rule or by how
the run ended) is named on stderr, saying why; the exit code is still the guest's.

Options come before PROGRAM. Everything after PROGRAM (or after --) is the guest's argv,
--help included. A value follows its flag as the next argument or after '=': --timeout 30s
and --timeout=30s are the same.

  --dir DIR              copy host directory DIR into the VM and preopen it, at the same
                         path taken from / (as wasmtime's --dir DIR looks to a WASI program):
                         --dir . is the guest's /, --dir data its /data; the guest's changes
                         stay in the VM
  --dir HOST::GUEST      the same, with HOST at guest path GUEST (HOST:/GUEST works too)
  --volume NAME=HOSTDIR:GUEST
                         mount persistent volume NAME at guest path GUEST, stored in host
                         directory HOSTDIR, which holds it alone (made if missing; its parent
                         must exist): the run sees the volume as it was when the run began,
                         and what it changed is committed as a new version when it ends, by
                         --commit's rule, all of it or nothing; NAME=HOSTDIR::GUEST is the
                         same; add :ro to mount it read-only (a change fails with EROFS);
                         repeat for more
  --commit RULE          when the --volume mounts' changes are kept: exit0 (the guest exited
                         0; the default), always (the guest exited, with any code) or never
                         (a scratch copy); never after a trap, timeout or kill
  --retry N              when another commit moved a volume first (a conflict), run the guest
                         again on the new version, up to N times (default 0)
  --image TAR:GUEST      mount tar archive TAR (a path or URL) read-only at guest path GUEST
                         (TAR::GUEST works too)
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

/** A named channel bound by --in or --out: its NAME, and FILE or `-` (zerovm's own stdin or stdout). */
export interface ChannelFlag {
  name: string;
  file: string;
}

export interface CliOptions {
  program?: string;
  args: string[];
  env: Record<string, string>;
  /** --dir, --volume and --image mounts, in the order given. */
  mounts: Mount[];
  /** Where each --volume NAME is stored: its HOSTDIR. */
  volumeDirs: Map<string, string>;
  /** --commit and --retry: the rule of every --volume mount. */
  commit?: NonNullable<Mount['commit']>;
  retry?: number;
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
  | { kind: 'volume'; command: VolumeCommand }
  | { kind: 'help' }
  | { kind: 'version' }
  /** No command at all: the usage lines to stderr, exit 2. */
  | { kind: 'usage' };

const PAGE = 65536;
/** wasm32's memory limit: 65536 pages. Past it the lowered maximum would make the module invalid. */
const MAX_MEMORY = 65536 * PAGE;

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
function parseDir(spec: string): Mount {
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

/**
 * HOST:GUEST or HOST::GUEST split at the last colon, so that a URL's scheme and port (and any
 * colon in HOST) stay in HOST.
 */
function splitLast(spec: string): [host: string, guest: string] | null {
  const at = spec.lastIndexOf(':');
  if (at < 0) return null;
  return [spec.slice(0, spec[at - 1] === ':' ? at - 1 : at), spec.slice(at + 1)];
}

/** NAME=HOSTDIR:GUEST or NAME=HOSTDIR::GUEST, then :ro for read-only; each NAME and HOSTDIR once. */
function parseVolume(spec: string, o: CliOptions): Mount {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq);
  const readonly = spec.endsWith(':ro');
  const split = eq > 0 ? splitLast(spec.slice(eq + 1, readonly ? -3 : undefined)) : null;
  if (!split || split[0] === '' || split[1] === '') {
    throw new UsageError(`--volume takes NAME=HOSTDIR:GUEST or NAME=HOSTDIR::GUEST, with :ro after it for read-only, not "${spec}"`);
  }
  if (!VOLUME_NAME.test(name)) throw new UsageError(`--volume ${spec}: a volume NAME is 1 to 64 letters, digits, . _ and -`);
  const [dir, guest] = split;
  if (o.volumeDirs.has(name)) throw new UsageError(`--volume ${name} is given twice`);
  // two volumes in one directory would be one volume under two names
  const sharing = [...o.volumeDirs].find(([, other]) => resolve(other) === resolve(dir));
  if (sharing) throw new UsageError(`--volume ${name}=${dir}: volume ${sharing[0]} is stored there too (one directory holds one volume)`);
  o.volumeDirs.set(name, dir);
  return { guest: posix.resolve('/', guest), volume: name, ...(readonly ? { readonly } : {}) };
}

function parseImage(spec: string): Mount {
  const split = splitLast(spec);
  // `https://host/x.tar` alone splits after its scheme: that is no GUEST
  if (!split || split[0] === '' || split[1] === '' || split[1].startsWith('//')) throw new UsageError(`--image takes TAR:GUEST or TAR::GUEST, not "${spec}"`);
  return { guest: posix.resolve('/', split[1]), image: split[0] };
}

function commitRule(value: string): NonNullable<Mount['commit']> {
  if (value === 'exit0' || value === 'always' || value === 'never') return value;
  throw new UsageError(`--commit takes exit0, always or never, not "${value}"`);
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

const RUN_FLAGS: Flags<CliOptions> = {
  values: new Map<string, (o: CliOptions, value: string) => void>([
    ['--env', (o, pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
      o.env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }],
    ['--dir', (o, spec) => void o.mounts.push(parseDir(spec))],
    ['--volume', (o, spec) => void o.mounts.push(parseVolume(spec, o))],
    ['--commit', (o, value) => void (o.commit = commitRule(value))],
    ['--retry', (o, value) => void (o.retry = wholeNumber('--retry', value))],
    ['--image', (o, spec) => void o.mounts.push(parseImage(spec))],
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

/** `zerovm run`'s arguments (after `run`). */
export function parseRunArgs(argv: string[]): Command {
  const options: CliOptions = { args: [], env: {}, mounts: [], volumeDirs: new Map(), inputs: [], outputs: [], limits: {}, determinism: {} };
  const at = readFlags(argv, RUN_FLAGS, options);
  if (at === 'help') return { kind: 'help' };
  const rule = options.commit !== undefined ? '--commit' : options.retry !== undefined ? '--retry' : null;
  if (rule && options.volumeDirs.size === 0) throw new UsageError(`${rule} is a rule of --volume mounts, and there is none`);
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
    case 'volume': return { kind: 'volume', command: parseVolumeArgs(rest) };
    case 'help': return rest[0] === 'volume' ? { kind: 'volume', command: { kind: 'help' } } : { kind: 'help' };
    case '--help': case '-h': return { kind: 'help' };
    case '--version': case '-V': return { kind: 'version' };
  }
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`, hint);
  if (/\.wasm$/i.test(command)) throw new UsageError(`unknown command "${command}"; did you mean zerovm run ${command}?`, '');
  throw new UsageError(`unknown command "${command}"`, hint);
}
