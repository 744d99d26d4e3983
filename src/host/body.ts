// A response's body read as it comes: how far along it is (for a progress bar), and a cap past
// which it is given up. One reader for every fetch of the host (programs, images, a plugin's HTTP).
import { concatBytes } from '../contract/bytes.js';

/** Bytes of a body so far, and all of it when the response said (content-length), else null. */
export type BodyProgress = (loaded: number, total: number | null) => void;

/**
 * Where a body's pieces go as they come, instead of being gathered by the reader: it keeps them,
 * and gives the whole at the end (a program compiled and hashed while it downloads, module-stream.ts
 * and content-hash.ts). Either may throw, which stops the read. A piece given must not change
 * afterwards: a sink may keep a view of it.
 */
export interface BodySink {
  /** `total`: the body's length when the response said (content-length), else null. */
  push(chunk: Uint8Array, total: number | null): void;
  end(): Uint8Array;
}

/** The whole body; null when it passed `limit` bytes (the rest is not read). Given a `sink`, the pieces go there. */
export async function readBody(response: Response, onBytes?: BodyProgress, limit = Infinity, sink?: BodySink): Promise<Uint8Array | null> {
  const length = Number(response.headers.get('content-length'));
  // A compressed body's content-length counts what came over the wire, not the bytes read here.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = !encoded && Number.isSafeInteger(length) && length > 0 ? length : null;
  if (!response.body) return sink ? sink.end() : new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  onBytes?.(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return sink ? sink.end() : concatBytes(parts, loaded);
    loaded += value.length;
    if (loaded > limit) {
      void reader.cancel().catch(() => undefined);
      return null;
    }
    if (sink) {
      try {
        sink.push(value, total);
      } catch (e) {
        void reader.cancel().catch(() => undefined);
        throw e;
      }
    } else parts.push(value);
    onBytes?.(loaded, total);
  }
}

/**
 * Decides from a response's headers whether its body is read at all: false when what it names is
 * known already (a big program stored on an earlier page load, by its ETag).
 */
export type BodyWanted = (headers: Headers) => Promise<boolean>;

/**
 * A fetched resource's bytes, or an error saying the status (as `fetch` resolves for a 404 too);
 * null when `wanted` said no (the body is then not read).
 */
export async function fetchBytes(url: string, onBytes?: BodyProgress): Promise<Uint8Array>;
export async function fetchBytes(url: string, onBytes: BodyProgress | undefined, wanted: BodyWanted | undefined, sink?: BodySink): Promise<Uint8Array | null>;
export async function fetchBytes(url: string, onBytes?: BodyProgress, wanted?: BodyWanted, sink?: BodySink): Promise<Uint8Array | null> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`.trim());
  if (wanted && !(await wanted(response.headers))) {
    void response.body?.cancel().catch(() => undefined);
    return null;
  }
  return (await readBody(response, onBytes, Infinity, sink))!;
}

/** What names a response's content for a cache: its ETag, else its Last-Modified date (null: neither). */
export function validatorOf(headers: Headers): string | null {
  return headers.get('etag') ?? headers.get('last-modified');
}
