// Programs: fetched once, checked and compiled once per (content hash, policy), instantiated per run
// (in the worker).
import type { ProgramSource } from '../contract/manifest.js';
import type { ModulePolicy } from './module-policy.js';
import { Refusal } from './refusal.js';
import { contentHash, HashingSink } from './content-hash.js';
import { type KnownContent, type ModuleStore, STORED_MODULE_BYTES } from './module-store.js';
import { type BodyProgress, type BodySink, type BodyWanted, validatorOf } from './body.js';
import { StreamedModule } from './module-stream.js';
import { nextTaskDone } from '../contract/next-task.js';
import { remember } from './remember.js';

/**
 * Reads a program's bytes from a URL (the page) or a path (the CLI), saying how far along it is;
 * given `wanted`, it may skip the body of a response whose headers say it is known (null then);
 * given a `sink`, it gives it every piece of the body as it comes and answers what the sink ends with.
 */
export interface ProgramFetcher {
  (location: string, onBytes?: BodyProgress): Promise<Uint8Array>;
  (location: string, onBytes: BodyProgress | undefined, wanted: BodyWanted | undefined, sink?: BodySink): Promise<Uint8Array | null>;
}

/**
 * How far a program's loading is: its bytes `fetch`ed so far (`total` from the response's
 * content-length, null when it gave none), then its `compile` (loaded 0 at the start, `total` when
 * done). Only what this call waits for is told: a program already compiled says nothing.
 */
export interface LoadProgress {
  phase: 'fetch' | 'compile';
  loaded: number;
  total: number | null;
}
export type ProgressListener = (progress: LoadProgress) => void;


export interface LoadedProgram {
  module: WebAssembly.Module;
  /** Names the compiled module (content hash and policy), so a worker can remember what it checked of it. */
  key: string;
  /** Time spent compiling for this run: 0 when the module came from the cache. */
  compileMs: number;
  /** Where the module came from (Timings.moduleFrom). */
  from: ModuleFrom;
}

/** `compiled` from its bytes for this run; compiled earlier on this `page`; from the `browser`'s module store (an earlier page load). */
export type ModuleFrom = 'compiled' | 'page' | 'browser';

/**
 * A program's content: its bytes, or (`bytes` null) only its hash and size, when its response's
 * validator said it is the one stored on an earlier page load (its body was not read).
 */
interface Content extends KnownContent {
  bytes: Uint8Array | null;
  /** The response's ETag or Last-Modified (null: none, or not fetched). */
  validator: string | null;
}

/** The part of a module's key that names the policy it was checked and compiled under. */
const policyKey = (policy: ModulePolicy) => `${policy.memory}/${policy.deterministic}`;


export class ProgramCache {
  private modules = new Map<string, Promise<WebAssembly.Module>>();
  private byLocation = new Map<string, Promise<Content>>();
  // Callers often pass the same bytes object run after run: skip hashing them again.
  private byObject = new WeakMap<object, Promise<Content>>();

  constructor(
    private fetcher: ProgramFetcher,
    /** Where big modules outlive the page (the page's Cache API), if anywhere. */
    private store: ModuleStore | null = null,
  ) {}

  async load(source: ProgramSource, policy: ModulePolicy, onProgress?: ProgressListener): Promise<LoadedProgram> {
    if (source instanceof WebAssembly.Module) return { module: source, key: moduleKey(source), compileMs: 0, from: 'page' };
    // The compile that ran while the bytes downloaded, under this run's policy: there is one when this
    // call started the download. It ends in this call: taken, or stopped if no compile is needed.
    let streamed: StreamedModule | null = null;
    try {
      // Every caller waiting on a fetch or a compile hears its progress, not only the one that started it.
      const fetching = typeof source === 'string' && onProgress ? hear(this.fetchProgress, source, onProgress) : null;
      const content = await (typeof source === 'string'
        ? remember(this.byLocation, source, () => this.download(source, true, policy, (s) => (streamed = s)))
        : remember(this.byObject, source, async () => hashed(source instanceof Uint8Array ? source : new Uint8Array(source)))
      ).finally(() => fetching?.());
      let compileMs = 0;
      let from: ModuleFrom = 'page';
      const key = `${content.hash}/${policyKey(policy)}`;
      const store = content.size >= STORED_MODULE_BYTES ? this.store : null;
      const compiling = onProgress ? hear(this.compileProgress, key, onProgress) : null;
      const module = await remember(this.modules, key, async () => {
        const start = performance.now();
        const told = (loaded: number) => {
          for (const listener of this.compileProgress.get(key) ?? []) listener({ phase: 'compile', loaded, total: content.size });
        };
        told(0);
        // Stored by an earlier page load: checked then, and perhaps compiled code and all (V8).
        const stored = await store?.get(key);
        from = stored ? 'browser' : 'compiled';
        if (stored) {
          compileMs = performance.now() - start;
          told(content.size);
          return stored;
        }
        const taken: StreamedModule | null = streamed;
        streamed = null;
        const { module, compiled } = taken
          ? await finishStreamed(taken)
          : // Known by its validator, but the store has lost it since: its bytes after all.
            await compileChecked(content.bytes ?? (await this.redownload(source as string, content.hash)), policy);
        // Only bytes that passed the scan and compiled are stored: a stored module is not scanned again.
        // Its URL is noted with its validator once it is in, so that a later page load need not read it.
        if (store) {
          // A task later: putting the module together for the store copies all of it (clang: 75 MB), which this run need not wait for.
          const stored = nextTaskDone().then(() => store.put(key, compiled())).then(() => true, () => false);
          const { validator } = content;
          if (typeof source === 'string' && validator !== null) void stored.then((put) => {
            if (put) void store.note(source, validator, { hash: content.hash, size: content.size });
          });
        }
        compileMs = performance.now() - start;
        told(content.size);
        return module;
      }).finally(() => compiling?.());
      return { module, key, compileMs, from };
    } finally {
      (streamed as StreamedModule | null)?.stop(); // the module was compiled already on this page, or stored
    }
  }

  /** Who is waiting on each fetch (by location) and each compile (by key), to be told how far it is. */
  private fetchProgress = new Map<string, Set<ProgressListener>>();
  private compileProgress = new Map<string, Set<ProgressListener>>();

  /**
   * A program's content by URL. With `shortcut`, a big program whose response's validator (ETag or
   * Last-Modified) is the one noted when it was stored on an earlier page load is not read at all:
   * its hash names the stored module (clang: ~0.2 s of fetch and ~0.2 s of hashing saved).
   */
  /** `policy` and `started`: compile the bytes as they come, under that policy, and hand that compile over (before this resolves). */
  private async download(location: string, shortcut: boolean, policy?: ModulePolicy, started?: (streamed: StreamedModule) => void): Promise<Content> {
    const store = shortcut ? this.store : null;
    const seen: { validator: string | null; known: KnownContent | null } = { validator: null, known: null };
    const wanted: BodyWanted = async (headers) => {
      seen.validator = validatorOf(headers);
      // Only a big program can have been stored: a small one's response is not looked up.
      if (!store || seen.validator === null || !(Number(headers.get('content-length')) >= STORED_MODULE_BYTES)) return true;
      seen.known = await store.known(location, seen.validator);
      return seen.known === null;
    };
    const tell: BodyProgress = (loaded, total) => {
      for (const listener of this.fetchProgress.get(location) ?? []) listener({ phase: 'fetch', loaded, total });
    };
    // Compiled as it downloads, under the policy of the run that fetches it (most runs of a program share one).
    const streamed = policy && started ? new StreamedModule(policy) : null;
    // Hashed as it downloads too: only the last piece's hash is left for after the last byte.
    const sink = new HashingSink(streamed);
    let bytes: Uint8Array | null;
    try {
      bytes = await this.fetcher(location, tell, wanted, sink);
    } catch (e) {
      streamed?.stop();
      throw new Refusal(`program could not be fetched: ${location}: ${(e as Error).message}`);
    }
    if (bytes === null && seen.known) {
      streamed?.stop(); // not read: the module store has it
      return { bytes: null, ...seen.known, validator: seen.validator };
    }
    if (bytes === null) throw new Error(`${location}: the fetcher skipped a body that was wanted`);
    // A fetcher that took no notice of the sink: its bytes are hashed, and compiled, as they stand.
    const content = await hashed(bytes, sink.hasher.size === bytes.length ? sink.hasher.end() : undefined).catch((e: unknown) => {
      streamed?.stop();
      throw e;
    });
    if (streamed?.ended) started!(streamed);
    else streamed?.stop();
    return { ...content, validator: seen.validator };
  }

  /** The bytes of a program known by its validator whose stored module is gone: read, and checked to be the same. */
  private async redownload(location: string, hash: string): Promise<Uint8Array> {
    const content = await this.download(location, false);
    if (content.hash !== hash) {
      this.byLocation.delete(location); // the next run reads it afresh
      throw new Refusal(`program ${location} changed on its server while it was loading (the same ETag or Last-Modified, other bytes): run it again`);
    }
    return content.bytes!;
  }
}

/** Adds `listener` to those of `key`; the function given back takes it out again. */
function hear(listeners: Map<string, Set<ProgressListener>>, key: string, listener: ProgressListener): () => void {
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
  };
}

const moduleKeys = new WeakMap<WebAssembly.Module, string>();
let lastModuleKey = 0;

/** A key for a module the caller compiled: the same object, the same key. */
function moduleKey(module: WebAssembly.Module): string {
  let key = moduleKeys.get(module);
  if (key === undefined) {
    key = `module:${++lastModuleKey}`;
    moduleKeys.set(module, key);
  }
  return key;
}

/** `bytes` with their content hash: `hash` when it was taken as they came, else taken now. */
async function hashed(bytes: Uint8Array, hash = contentHash(bytes)): Promise<Content> {
  return { bytes, hash: await hash, size: bytes.length, validator: null };
}

/** What a compile comes to: the module, and the bytes it was compiled from (what a module store keeps). */
interface Compiled {
  module: WebAssembly.Module;
  compiled: () => Uint8Array;
}

/** Bytes given whole (not downloaded) go to the compile in pieces of this size, a task apart. */
const PIECE = 1 << 20;

/**
 * Compiles `bytes` under `policy`: in pieces, a task apart, the way a download goes (StreamedModule),
 * so that the scan of a big program never holds the page up for long (clang's took ~0.4 s in one go).
 */
async function compileChecked(bytes: Uint8Array, policy: ModulePolicy): Promise<Compiled> {
  const streamed = new StreamedModule(policy);
  try {
    for (let at = 0; at < bytes.length && !streamed.refusal; at += PIECE) {
      if (at > 0) await nextTaskDone();
      streamed.push(bytes.subarray(at, at + PIECE), bytes.length);
    }
    if (!streamed.refusal) streamed.end();
  } catch (e) {
    streamed.stop();
    throw e;
  }
  return finishStreamed(streamed);
}

/** The compile that ran as the bytes downloaded: its refusal, or its module once told the end. */
async function finishStreamed(streamed: StreamedModule): Promise<Compiled> {
  if (streamed.refusal) throw streamed.refusal; // its compile was stopped then
  return { module: await compiledOrRefused(streamed.finish()), compiled: () => streamed.compiled() };
}

async function compiledOrRefused(compiling: Promise<WebAssembly.Module>): Promise<WebAssembly.Module> {
  try {
    return await compiling;
  } catch (e) {
    throw new Refusal(`program is not valid WebAssembly: ${(e as Error).message}`);
  }
}

