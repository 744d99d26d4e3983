// The program cache with a fetcher that gives a body in pieces, as a page's fetch does: the run
// that starts a download compiles as it comes; a run with another policy compiles the bytes it
// left; a compile that turns out not to be needed, or a download that fails midway, leaves no
// compile waiting; a fetcher that ignores the sink still gets its program compiled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MEMORY_SECTION } from '../../src/contract/memory-import.js';
import type { BodyProgress, BodySink, BodyWanted } from '../../src/host/body.js';
import { HashingSink } from '../../src/host/content-hash.js';
import type { ModulePolicy } from '../../src/host/module-policy.js';
import { type KnownContent, type ModuleStore } from '../../src/host/module-store.js';
import { ProgramCache, type ProgramFetcher } from '../../src/host/program.js';
import { leb } from '../../src/host/wasm-binary.js';
import { noise } from '../noise.js';

const PAGE = 65536;
const HELLO = new Uint8Array(readFileSync(new URL('../../public/programs/hello.wasm', import.meta.url)));
const LIMITED: ModulePolicy = { memory: 4 * PAGE, deterministic: true };
const OPEN: ModulePolicy = { memory: null, deterministic: false };

/** The memory limits the policy wrote into a compiled module (none when it rewrote nothing). */
const shapeOf = (m: WebAssembly.Module) => WebAssembly.Module.customSections(m, MEMORY_SECTION).map((s) => JSON.parse(new TextDecoder().decode(s)));

interface Fetches {
  fetcher: ProgramFetcher;
  /** The sink each fetch was given (undefined: none). */
  sinks: (BodySink | undefined)[];
}

/**
 * A fetcher of `bytes` in 1 KiB pieces, a task apart. `failAfter`: throws after that many pieces
 * (once); `ignoreSink`: answers the bytes without giving them to the sink.
 */
function fetches(bytes: Uint8Array, { failAfter = Infinity, ignoreSink = false } = {}): Fetches {
  const sinks: (BodySink | undefined)[] = [];
  let failing = failAfter;
  async function fetcher(_location: string, onBytes?: BodyProgress, _wanted?: BodyWanted, sink?: BodySink): Promise<Uint8Array> {
    sinks.push(sink);
    if (!sink || ignoreSink) return bytes;
    for (let at = 0, n = 0; at < bytes.length; at += 1024, n++) {
      if (n === failing) {
        failing = Infinity;
        throw new Error('connection reset');
      }
      sink.push(bytes.slice(at, at + 1024), bytes.length);
      onBytes?.(Math.min(bytes.length, at + 1024), bytes.length);
      await new Promise((r) => setImmediate(r));
    }
    return sink.end();
  }
  return { fetcher: fetcher as ProgramFetcher, sinks };
}

/** hello with a 2.5 MiB custom section of `seed`'s noise after it: a valid module of three hash pieces. */
function padded(seed: number): Uint8Array {
  const name = new TextEncoder().encode('padding');
  const payload = [...leb(name.length), ...name, ...noise(2.5 * (1 << 20), seed)];
  return Uint8Array.from([...HELLO, 0, ...leb(payload.length), ...payload]);
}

/** Whether the streamed compile behind a fetch's sink was closed (finished or stopped). */
const closed = (sink: BodySink | undefined) => ((sink instanceof HashingSink ? sink.inner : sink) as { closed?: boolean } | null | undefined)?.closed;

describe('the program cache, compiling as a program downloads', () => {
  it('compiles under the policy of the run that fetched, and another run\'s policy from the bytes it left', async () => {
    const { fetcher, sinks } = fetches(HELLO);
    const cache = new ProgramCache(fetcher);
    const [limited, open] = await Promise.all([cache.load('hello.wasm', LIMITED), cache.load('hello.wasm', OPEN)]);
    assert.equal(sinks.length, 1, 'one download for both');
    assert.ok(sinks[0], 'given a sink');
    assert.equal(closed(sinks[0]), true, 'the streamed compile was finished');
    assert.equal(limited.from, 'compiled');
    assert.equal(open.from, 'compiled');
    assert.deepEqual(shapeOf(limited.module), [{ initial: 2, maximum: 4 }], 'the limited run\'s module has its memory lowered');
    assert.deepEqual(shapeOf(open.module), [], 'the open run\'s module is compiled as it stands (no limit, nothing to rewrite)');
    const again = await cache.load('hello.wasm', LIMITED);
    assert.equal(again.module, limited.module, 'the page keeps the module');
    assert.equal(again.from, 'page');
  });

  it('stops the streamed compile of a program the page has compiled already (from its bytes)', async () => {
    const { fetcher, sinks } = fetches(HELLO);
    const cache = new ProgramCache(fetcher);
    const fromBytes = await cache.load(HELLO.slice(), LIMITED);
    const byUrl = await cache.load('hello.wasm', LIMITED);
    assert.equal(byUrl.key, fromBytes.key, 'the same content hash');
    assert.equal(byUrl.module, fromBytes.module, 'the module compiled from the same bytes');
    assert.equal(byUrl.from, 'page');
    assert.equal(closed(sinks[0]), true, 'the compile that was not needed is stopped, not left waiting');
  });

  it('stops the compile of a download that fails midway, and a later run fetches and compiles afresh', async () => {
    const { fetcher, sinks } = fetches(HELLO, { failAfter: 5 });
    const cache = new ProgramCache(fetcher);
    await assert.rejects(cache.load('hello.wasm', LIMITED), { message: 'program could not be fetched: hello.wasm: connection reset' });
    assert.equal(closed(sinks[0]), true, 'the failed download\'s compile is stopped');
    const retried = await cache.load('hello.wasm', LIMITED);
    assert.equal(sinks.length, 2);
    assert.equal(retried.from, 'compiled');
    assert.deepEqual(shapeOf(retried.module), [{ initial: 2, maximum: 4 }]);
  });

  it('names a program downloaded in pieces as it names the same bytes given whole, past one 1 MiB hash piece', async () => {
    const big = padded(9);
    const { fetcher, sinks } = fetches(big);
    const cache = new ProgramCache(fetcher);
    const byUrl = await cache.load('big.wasm', LIMITED);
    const fromBytes = await cache.load(big.slice(), LIMITED);
    assert.equal(sinks.length, 1);
    assert.equal(byUrl.from, 'compiled');
    assert.equal(fromBytes.key, byUrl.key, 'one content hash, hashed as it came and hashed whole');
    assert.equal(fromBytes.module, byUrl.module);
    assert.equal(fromBytes.from, 'page');
  });

  it('compiles the bytes of a fetcher that takes no notice of the sink', async () => {
    const { fetcher, sinks } = fetches(HELLO, { ignoreSink: true });
    const loaded = await new ProgramCache(fetcher).load('hello.wasm', LIMITED);
    assert.equal(closed(sinks[0]), true, 'the unused compile is stopped');
    assert.deepEqual(shapeOf(loaded.module), [{ initial: 2, maximum: 4 }]);
  });

  it('compiles a big program given as bytes in pieces, as a download goes (clang, 75 MB)', async () => {
    const clang = new Uint8Array(readFileSync(new URL('../../node_modules/@yowasp/clang/gen/llvm.core.wasm', import.meta.url)));
    const cache = new ProgramCache(fetches(HELLO).fetcher);
    const loaded = await cache.load(clang, { memory: 1 << 30, deterministic: true });
    assert.equal(loaded.from, 'compiled');
    assert.deepEqual(shapeOf(loaded.module).map((s) => s.maximum), [(1 << 30) / PAGE], 'its memory lowered to the limit');
    assert.ok(WebAssembly.Module.exports(loaded.module).some((e) => e.name === '_start'), 'clang\'s exports');
  });

  it('refuses what the policy refuses, and a body that is not WebAssembly, in the run\'s words', async () => {
    const tight = new ProgramCache(fetches(HELLO).fetcher);
    await assert.rejects(tight.load('hello.wasm', { memory: PAGE, deterministic: true }), /program needs 131072 bytes of memory to start/);
    const page = new TextEncoder().encode('<!doctype html><title>404</title>');
    await assert.rejects(new ProgramCache(fetches(page).fetcher).load('missing.wasm', LIMITED), /^Error: program is not valid WebAssembly: /);
  });
});

describe('the program cache with a module store (a page load after another)', () => {
  /** A module store in memory that has lost every module (get finds none), and keeps its notes. */
  function forgetfulStore() {
    const puts: string[] = [];
    const notes = new Map<string, { validator: string } & KnownContent>();
    const store: ModuleStore = {
      get: async () => null,
      put: async (key) => void puts.push(key),
      known: async (url, validator) => {
        const noted = notes.get(url);
        return noted?.validator === validator ? { hash: noted.hash, size: noted.size } : null;
      },
      note: async (url, validator, content) => void notes.set(url, { validator, ...content }),
    };
    return { store, puts, notes };
  }

  /** A server of `bodies[n]` on its n-th request (the last one after that), all with one ETag. */
  function server(bodies: Uint8Array[]) {
    let requests = 0;
    const read: boolean[] = [];
    async function fetcher(_location: string, _onBytes?: BodyProgress, wanted?: BodyWanted, sink?: BodySink): Promise<Uint8Array | null> {
      const body = bodies[Math.min(requests++, bodies.length - 1)];
      if (wanted && !(await wanted(new Headers({ etag: '"v1"', 'content-length': String(body.length) })))) return read.push(false), null;
      read.push(true);
      if (!sink) return body;
      for (let at = 0; at < body.length; at += 65_536) {
        sink.push(body.slice(at, at + 65_536), body.length);
        await new Promise((r) => setImmediate(r));
      }
      return sink.end();
    }
    return { fetcher: fetcher as ProgramFetcher, read };
  }

  it('stores a task after the run goes on, then notes the URL; a later load whose module is lost reads it again and finds it the same', async () => {
    const big = padded(11);
    const { store, puts, notes } = forgetfulStore();
    const { fetcher, read } = server([big]);
    const first = await new ProgramCache(fetcher, store).load('big.wasm', LIMITED);
    assert.deepEqual(puts, [], 'not put yet: a task later');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(puts, [first.key]);
    assert.equal(notes.get('big.wasm')?.hash, first.key.split('/')[0], 'the URL noted with the content hash');
    // The next page load: the ETag matches the note, the body is skipped, the store has lost the
    // module, so the bytes are read again and hashed the same (pieces as they came, both times).
    const second = await new ProgramCache(fetcher, store).load('big.wasm', LIMITED);
    assert.deepEqual(read, [true, false, true]);
    assert.equal(second.key, first.key);
    assert.equal(second.from, 'compiled');
  });

  it('refuses a program whose server gave other bytes under the noted ETag', async () => {
    const { store } = forgetfulStore();
    const { fetcher } = server([padded(12), padded(12), padded(13)]);
    await new ProgramCache(fetcher, store).load('big.wasm', LIMITED);
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(new ProgramCache(fetcher, store).load('big.wasm', LIMITED), /changed on its server while it was loading/);
  });
});
