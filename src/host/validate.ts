// Manifest validation: refuse a bad manifest before any worker starts, naming the field at fault.
import * as v from 'valibot';
import { CHANNEL_PATH, kindOf } from '../contract/channels.js';
import { LOADER_CHANNEL } from '../contract/link.js';
import type { ChannelSpec, Manifest } from '../contract/manifest.js';
import { VOLUME_NAME } from './volumes/store.js';

const bytes = v.instance(Uint8Array, 'expected a Uint8Array');
const count = v.pipe(v.number('expected a number'), v.integer('expected an integer'), v.minValue(0, 'expected ≥ 0'));
const positive = v.pipe(v.number('expected a number'), v.integer('expected an integer'), v.minValue(1, 'expected ≥ 1'));
const absolutePath = v.pipe(v.string('expected a string'), v.startsWith('/', 'expected an absolute guest path'));
/** argv and environ reach the guest as C strings: a NUL would cut one short without a word. */
const cString = (what: string) =>
  v.pipe(v.string(`expected a ${what}`), v.check((s) => !s.includes('\0'), 'holds a NUL character, which a C string cannot carry'));
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PAGE = 65536;
/** A 32-bit WebAssembly memory has at most 65536 pages. */
const MAX_MEMORY = 65536 * PAGE;
const memory = v.pipe(
  positive,
  v.minValue(PAGE, `expected at least ${PAGE} (one 64 KiB WebAssembly page)`),
  v.maxValue(MAX_MEMORY, `expected at most ${MAX_MEMORY} (4 GiB, the most a 32-bit WebAssembly memory can hold)`),
);

const program = v.union(
  [
    v.pipe(v.string(), v.minLength(1, 'expected a non-empty URL or path')),
    bytes,
    v.instance(ArrayBuffer),
    v.instance(WebAssembly.Module),
  ],
  'expected a URL or path, bytes, or a WebAssembly.Module',
);

const ManifestSchema = v.strictObject(
  {
    program,
    args: v.optional(v.array(cString('string'), 'expected an array of strings')),
    env: v.optional(
      v.record(
        v.pipe(cString('string'), v.check((k) => k.length > 0 && !k.includes('='), 'a name must be non-empty and hold no "="')),
        cString('string value'),
        'expected an object of strings',
      ),
    ),
    stdin: v.optional(v.union([v.string(), bytes], 'expected a string or a Uint8Array')),
    files: v.optional(
      v.record(absolutePath, v.union([v.string(), bytes], 'expected a string or a Uint8Array'), 'expected an object'),
    ),
    mounts: v.optional(
      v.array(
        v.strictObject(
          {
            guest: absolutePath,
            host: v.optional(v.string('expected a string')),
            volume: v.optional(v.pipe(v.string('expected a string'), v.regex(VOLUME_NAME, 'expected a volume name: 1 to 64 letters, digits, . _ -'))),
            commit: v.optional(v.picklist(['exit0', 'always', 'never'], 'expected "exit0", "always" or "never"')),
            readonly: v.optional(v.boolean('expected a boolean')),
            retry: v.optional(count),
            image: v.optional(v.union([v.pipe(v.string(), v.minLength(1, 'expected a URL or path')), bytes], 'expected a URL or path, or bytes')),
          },
          'expected { guest, host | volume | image, ... }',
        ),
      ),
    ),
    limits: v.optional(
      v.strictObject(
        { memory: v.optional(memory), timeout: v.optional(positive), volumeBytes: v.optional(positive), fds: v.optional(v.pipe(positive, v.minValue(4, 'expected ≥ 4 (stdio and one preopened directory)'))), output: v.optional(count) },
        'expected an object',
      ),
    ),
    channels: v.optional(
      v.array(
        v.strictObject(
          {
            path: v.pipe(
              v.string('expected a string'),
              v.regex(CHANNEL_PATH, 'expected /dev/stdin, /dev/stdout, /dev/stderr, /dev/in/NAME, /dev/out/NAME or /dev/call/NAME (NAME: letters, digits, . _ -)'),
            ),
            source: v.optional(
              v.union(
                [
                  v.literal('live'),
                  v.strictObject({ bytes: v.union([v.string(), bytes]) }),
                  v.strictObject({ base64: v.pipe(v.string(), v.regex(BASE64, 'expected base64')) }),
                  v.strictObject({ url: v.pipe(v.string(), v.minLength(1, 'expected a URL')) }),
                ],
                'expected "live", { bytes }, { base64 } or { url }',
              ),
            ),
            sink: v.optional(v.picklist(['capture', 'live', 'discard'], 'expected "capture", "live" or "discard"')),
            etag: v.optional(v.boolean('expected a boolean')),
            limits: v.optional(
              v.strictObject(
                { reads: v.optional(count), readBytes: v.optional(count), writes: v.optional(count), writeBytes: v.optional(count) },
                'expected an object',
              ),
            ),
          },
          'expected { path, source, sink, etag, limits }',
        ),
        'expected an array',
      ),
    ),
    determinism: v.optional(
      v.strictObject(
        { seed: v.optional(count), epoch: v.optional(count), realtime: v.optional(v.boolean('expected a boolean')) },
        'expected an object',
      ),
    ),
  },
  'expected an object',
);

// Checked when compiling: whatever the schema accepts is a Manifest, so the two cannot drift apart.
type IsManifest<T extends Manifest> = T;
export type CheckedManifest = IsManifest<v.InferOutput<typeof ManifestSchema>>;

/** What the schema cannot say about the mounts: what goes with what. */
function checkMounts(manifest: CheckedManifest): string | null {
  for (const [i, m] of (manifest.mounts ?? []).entries()) {
    const at = `manifest.mounts.${i}`;
    const sources = [m.host !== undefined && 'host', m.volume !== undefined && 'volume', m.image !== undefined && 'image'].filter(Boolean);
    if (sources.length > 1) return `${at}: give one of host, volume and image, not ${sources.join(' and ')}`;
    if (m.volume === undefined && (m.commit !== undefined || m.retry !== undefined)) return `${at}.${m.commit !== undefined ? 'commit' : 'retry'}: only a volume is committed`;
    if (m.readonly !== undefined && m.volume === undefined && m.image === undefined) return `${at}.readonly: only a volume or an image can be read-only`;
    const twice = (manifest.mounts ?? []).findIndex((o, j) => j < i && o.volume !== undefined && o.volume === m.volume);
    if (twice >= 0) return `${at}.volume: volume ${m.volume} is mounted twice (also at manifest.mounts.${twice})`;
  }
  return null;
}

/** What the schema cannot say about the channels: which field fits which kind of channel, and the table's size. */
function checkChannels(manifest: CheckedManifest): string | null {
  const specs: ChannelSpec[] = manifest.channels ?? [];
  const seen = new Set<string>();
  for (const [i, spec] of specs.entries()) {
    const at = `manifest.channels.${i}`;
    const kind = kindOf(spec.path);
    if (seen.has(spec.path)) return `${at}.path: ${spec.path} is declared twice`;
    seen.add(spec.path);
    if (spec.source !== undefined && kind !== 'input') return `${at}.source: ${spec.path} is not an input channel (only /dev/stdin and /dev/in/NAME have a source)`;
    if (spec.sink !== undefined && kind !== 'output') return `${at}.sink: ${spec.path} is not an output channel (only /dev/stdout, /dev/stderr and /dev/out/NAME have a sink)`;
    if (spec.path === '/dev/stdin' && spec.source !== undefined && manifest.stdin !== undefined) {
      return `${at}.source: /dev/stdin is given by manifest.stdin too; give it once`;
    }
  }
  const total = 3 + specs.filter((s) => !['/dev/stdin', '/dev/stdout', '/dev/stderr'].includes(s.path)).length;
  if (total > LOADER_CHANNEL) return `manifest.channels: ${total} channels, more than the ${LOADER_CHANNEL} a VM may have (stdio included)`;
  return null;
}

/** The message for the first thing wrong with `input`, or null when it is a valid Manifest. */
export function checkManifest(input: unknown): string | null {
  const result = v.safeParse(ManifestSchema, input, { abortEarly: true });
  if (result.success) return checkMounts(result.output) ?? checkChannels(result.output);
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  // Optional fields may be undefined: an issue with nothing there is a required field left out.
  if (issue.input === undefined && path) return `manifest.${path}: required`;
  // strictObject reports an unknown key as a value that should never be there
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    return `manifest${path ? '.' + path : ''}: unknown field`;
  }
  return `manifest${path ? '.' + path : ''}: ${issue.message}`;
}
