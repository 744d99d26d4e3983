// A run's channels, planned before it starts: the table (every channel, numbered), the fixed
// inputs resolved to bytes (a URL fetched now: a failure refuses the run, naming the channel),
// the live ends bound from RunOptions, and how the guest will wait for them. Every refusal names
// the channel at fault.
import { fromBase64 } from '../contract/base64.js';
import type { ChannelEntry } from '../contract/channels.js';
import { canShareMemory } from '../contract/link.js';
import type { ChannelSource, Manifest } from '../contract/manifest.js';
import type { VmChannel, VmMode } from '../contract/protocol.js';
import { toBytes } from './fs-image.js';
import { fits, type LiveEnd } from './live.js';
import { Refusal } from './refusal.js';

export interface ChannelPlan {
  table: ChannelEntry[];
  channels: VmChannel[];
  /** Live ends by channel index. */
  ends: Map<number, LiveEnd>;
  mode: VmMode;
}

export interface Bindings {
  stdin?: LiveEnd;
  channels?: Record<string, LiveEnd>;
}

/** How a guest can wait here: blocked on shared memory, or suspended (JSPI). */
export interface Capabilities {
  share: boolean;
  suspend: boolean;
}

/** What this page (or Node) can do: looked up once (isolation cannot change in a page's life; the lookup costs µs a run). */
export function capabilities(): Capabilities {
  return (known ??= Object.freeze({ share: canShareMemory(), suspend: typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function' }));
}
let known: Capabilities | null = null;

/** How a guest waits here when it must (sync on shared memory, else async by JSPI), or null where it cannot. */
export function waitingMode(can: Capabilities = capabilities()): Exclude<VmMode, 'plain'> | null {
  return can.share ? 'sync' : can.suspend ? 'async' : null;
}

/** Plans the channels of `table` (the manifest's channel table, made once per run by the caller). */
export async function planChannels(
  table: ChannelEntry[],
  manifest: Manifest,
  bindings: Bindings,
  fetchBytes: (url: string) => Promise<Uint8Array>,
  replaying: boolean,
  can: Capabilities = capabilities(),
): Promise<ChannelPlan> {
  const where = (path: string) => {
    const i = manifest.channels?.findIndex((c) => c.path === path) ?? -1;
    return i >= 0 ? `manifest.channels.${i}` : `RunOptions.channels['${path}']`;
  };

  // Live ends: each live channel bound, and nothing bound that is not a live channel.
  const given = new Map<string, LiveEnd>(Object.entries(bindings.channels ?? {}));
  if (bindings.stdin !== undefined) given.set('/dev/stdin', bindings.stdin);
  const ends = new Map<number, LiveEnd>();
  if (!replaying) {
    for (const [path, end] of given) {
      const index = table.findIndex((c) => c.path === path);
      const entry = table[index];
      if (!entry?.live) {
        const how = path.startsWith('/dev/call/') ? '' : `, e.g. { path: '${path}', ${path.startsWith('/dev/out/') || path === '/dev/stdout' || path === '/dev/stderr' ? "sink: 'live'" : "source: 'live'"} }`;
        throw new Refusal(`RunOptions.channels['${path}']: binds a channel the manifest does not declare live (declare it in manifest.channels${how})`);
      }
      if (!fits(entry, end)) throw new Refusal(`RunOptions.channels['${path}']: ${expected(entry)}`);
      ends.set(index, end);
    }
    for (const [index, entry] of table.entries()) {
      if (entry.live && !ends.has(index)) {
        throw new Refusal(`${where(entry.path)}: ${entry.path} is ${entry.kind === 'call' ? 'a call channel' : 'live'}, but nothing is bound to it (RunOptions.channels['${entry.path}']: ${expected(entry)})`);
      }
    }
  }

  const firstLive = table.find((c) => c.live);
  const realtime = manifest.determinism?.realtime === true;
  let mode: VmMode = 'plain';
  if (replaying) mode = 'plain'; // every answer that could wait is in the record
  else if (firstLive || realtime) {
    const waiting = waitingMode(can);
    if (waiting === 'sync') mode = firstLive ? 'sync' : 'plain'; // realtime sleeps block on Atomics.wait as they are
    else if (waiting === 'async') mode = 'async';
    else if (firstLive) {
      throw new Refusal(
        `${where(firstLive.path)}: ${firstLive.path} is live, but this page can neither block a VM (it is not cross-origin isolated: no SharedArrayBuffer) nor suspend one (no JSPI in this browser); serve the page with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp`,
      );
    }
  }

  const channels = await Promise.all(
    table.map(async (entry, index): Promise<VmChannel> => {
      const channel: VmChannel = { path: entry.path, kind: entry.kind, live: entry.live, sink: entry.sink };
      if (entry.spec) channel.spec = { etag: entry.spec.etag, limits: entry.spec.limits };
      if (entry.kind === 'input' && !entry.live) {
        const source = entry.spec?.source ?? (index === 0 && manifest.stdin !== undefined ? { bytes: manifest.stdin } : undefined);
        if (source !== undefined) channel.bytes = await fixedBytes(source as Exclude<ChannelSource, 'live'>, where(entry.path), fetchBytes);
      }
      return channel;
    }),
  );
  return { table, channels, ends, mode };
}

function expected(entry: ChannelEntry): string {
  switch (entry.kind) {
    case 'input':
      return 'expected a ReadableStream or an async iterable of Uint8Array or string';
    case 'output':
      return 'expected a WritableStream or a function (bytes) => void | Promise<void>';
    case 'call':
      return 'expected a function (request: Uint8Array) => Uint8Array | string | Promise<Uint8Array | string>';
  }
}

async function fixedBytes(source: Exclude<ChannelSource, 'live'>, where: string, fetchBytes: (url: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  if ('bytes' in source) return toBytes(source.bytes);
  if ('base64' in source) return fromBase64(source.base64);
  try {
    return await fetchBytes(source.url);
  } catch (e) {
    throw new Refusal(`${where}.source: ${source.url} could not be fetched: ${(e as Error).message}`);
  }
}
