// `zerovm volume`'s command line: ls, history, export, import and restore, on the host
// directories volumes are stored in. No guest argv follows, so flags may come after operands.
import { type Flags, readFlags, UsageError, wholeNumber } from './flags.js';

export const VOLUME_HELP = `usage: zerovm volume ls DIR [--json]
       zerovm volume history HOSTDIR [--json]
       zerovm volume export HOSTDIR [--version N] [-o FILE]
       zerovm volume import HOSTDIR FILE.tar
       zerovm volume restore HOSTDIR VERSION

A volume lives in a host directory of its own, HOSTDIR, holding every version of its files
(zerovm run --volume NAME=HOSTDIR:GUEST mounts it, and commits what a run changed as a new
version); its name here is HOSTDIR's base name. DIR is a directory holding one per volume.
A version's etag is the hash of its files: equal files, equal etags, on any machine.

  ls DIR                 the volumes in DIR: name, version, files, bytes and etag, as a
                         table, or as JSON with --json
  history HOSTDIR        the volume's versions, oldest first: version, when it was committed
                         (UTC), files, bytes and etag; as JSON with --json
  export HOSTDIR         the volume's files as a tar archive, to stdout (not to a terminal),
                         or to FILE with -o FILE (or --output FILE); --version N exports
                         version N rather than the latest
  import HOSTDIR FILE.tar
                         replace the volume's files with the archive's, as a new version
                         (HOSTDIR is made if missing; its parent must exist); prints it
  restore HOSTDIR VERSION
                         make a new version holding VERSION's files (history is never
                         rewritten); prints it

Flags may come before or after the directories. A change is a commit like a run's: when
another commit moved the volume meanwhile, it is not made, and zerovm says so and exits 1.
Otherwise the exit code is 0, or 2 on bad usage (one line on stderr naming the argument).`;

export type VolumeCommand =
  | { kind: 'help' }
  | { kind: 'ls'; dir: string; json: boolean }
  | { kind: 'history'; dir: string; json: boolean }
  | { kind: 'export'; dir: string; version?: number; output?: string }
  | { kind: 'import'; dir: string; archive: string }
  | { kind: 'restore'; dir: string; version: number };

export const VOLUME_HINT = '(see zerovm volume --help)';

interface Given {
  json: boolean;
  version?: number;
  output?: string;
}

const none = new Map();
const json: Flags<Given>['switches'] = new Map([['--json', (g) => void (g.json = true)]]);
const output = (g: Given, file: string) => void (g.output = file);
const exportValues: Flags<Given>['values'] = new Map([
  ['--version', (g, value) => void (g.version = wholeNumber('--version', value, VOLUME_HINT))],
  ['-o', output],
  ['--output', output],
]);

/** Each command's flags, and the names of its operands. */
const COMMANDS: Record<Exclude<VolumeCommand['kind'], 'help'>, { flags: Flags<Given>; operands: string[] }> = {
  ls: { flags: { values: none, switches: json }, operands: ['DIR'] },
  history: { flags: { values: none, switches: json }, operands: ['HOSTDIR'] },
  export: { flags: { values: exportValues, switches: none }, operands: ['HOSTDIR'] },
  import: { flags: { values: none, switches: none }, operands: ['HOSTDIR', 'FILE.tar'] },
  restore: { flags: { values: none, switches: none }, operands: ['HOSTDIR', 'VERSION'] },
};

const isCommand = (word: string): word is keyof typeof COMMANDS => Object.hasOwn(COMMANDS, word);

/** `zerovm volume`'s arguments (after `volume`). */
export function parseVolumeArgs(argv: string[]): VolumeCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('volume needs a command: ls, history, export, import or restore', VOLUME_HINT);
  if (command === 'help' || command === '-h' || command === '--help') return { kind: 'help' };
  if (!isCommand(command)) throw new UsageError(`unknown volume command "${command}"`, VOLUME_HINT);
  const spec = COMMANDS[command];
  const given: Given = { json: false };
  const operands: string[] = [];
  if (readFlags(rest, spec.flags, given, VOLUME_HINT, operands) === 'help') return { kind: 'help' };
  if (operands.length !== spec.operands.length) {
    throw new UsageError(`volume ${command} takes ${spec.operands.join(' and ')}, not ${operands.length} argument${operands.length === 1 ? '' : 's'}`, VOLUME_HINT);
  }
  const [dir, second] = operands;
  switch (command) {
    case 'ls':
    case 'history':
      return { kind: command, dir, json: given.json };
    case 'export':
      return { kind: 'export', dir, ...(given.version === undefined ? {} : { version: given.version }), ...(given.output === undefined ? {} : { output: given.output }) };
    case 'import':
      return { kind: 'import', dir, archive: second };
    case 'restore':
      if (!/^\d+$/.test(second)) throw new UsageError(`volume restore ${dir} ${second}: VERSION is a whole number`, VOLUME_HINT);
      return { kind: 'restore', dir, version: Number(second) };
  }
}
