// The channel table: every channel of a run, in the order the kernel, the worker and the host all
// number them (stdin, stdout, stderr, then the declared ones in manifest order), with what each is.
import type { ChannelSink, ChannelSpec } from './manifest.js';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
const STDIO = ['/dev/stdin', '/dev/stdout', '/dev/stderr'];

/** What a channel is, decided by its path. */
export type ChannelKind = 'input' | 'output' | 'call';

export interface ChannelEntry {
  path: string;
  kind: ChannelKind;
  /** Input: its bytes arrive while the guest runs. Output: a live sink. Call: always (a page function answers). */
  live: boolean;
  /** Output channels: where their bytes go. */
  sink: ChannelSink;
  spec: ChannelSpec | undefined;
  /**
   * The host's own call channel (a plugin's host functions and HTTP), never a guest device: it
   * comes after every declared channel and is left out of the report's channels.
   */
  hidden?: true;
}

/** `/dev/in/NAME`, `/dev/out/NAME`, `/dev/call/NAME`: a name of letters, digits, `.`, `_` and `-`. */
export const CHANNEL_PATH = /^\/dev\/(?:(in|out|call)\/([A-Za-z0-9._-]+)|(stdin|stdout|stderr))$/;

export function kindOf(path: string): ChannelKind | null {
  const match = CHANNEL_PATH.exec(path);
  if (!match) return null;
  const dir = match[1] ?? (match[3] === 'stdin' ? 'in' : 'out');
  return dir === 'in' ? 'input' : dir === 'out' ? 'output' : 'call';
}

/** The run's channels, numbered: stdio first, always; then every other declared channel. */
export function channelTable(specs: readonly ChannelSpec[] = []): ChannelEntry[] {
  const entry = (path: string, spec: ChannelSpec | undefined): ChannelEntry => {
    const kind = kindOf(path) ?? 'input';
    const sink = kind === 'output' ? (spec?.sink ?? 'capture') : 'discard';
    const live = kind === 'call' || (kind === 'input' ? spec?.source === 'live' : sink === 'live');
    return { path, kind, live, sink, spec };
  };
  return [
    ...STDIO.map((path) => entry(path, specs.find((s) => s.path === path))),
    ...specs.filter((s) => !STDIO.includes(s.path)).map((s) => entry(s.path, s)),
  ];
}

/** Whether any channel of the table needs the guest to be able to wait (live or call). */
export function needsBlocking(table: readonly ChannelEntry[]): ChannelEntry | undefined {
  return table.find((c) => c.live && c.kind !== 'output') ?? table.find((c) => c.live);
}
