// Programs: fetched once, compiled once per content hash, instantiated per run (in the worker).
import type { ProgramSource } from '../contract/manifest.js';

/** Reads a program's bytes from a URL (the page) or a path (the CLI). */
export type ProgramFetcher = (location: string) => Promise<Uint8Array>;

/** A program that cannot be used: the run ends as `invalid` with this message. */
export class ProgramError extends Error {}

export interface LoadedProgram {
  module: WebAssembly.Module;
  /** Time spent compiling for this run: 0 when the module came from the cache. */
  compileMs: number;
}

async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export class ProgramCache {
  private byHash = new Map<string, Promise<WebAssembly.Module>>();
  private byLocation = new Map<string, Promise<WebAssembly.Module>>();
  // Callers often pass the same bytes object run after run: skip hashing them again.
  private byObject = new WeakMap<object, Promise<WebAssembly.Module>>();

  constructor(private fetcher: ProgramFetcher) {}

  async load(source: ProgramSource): Promise<LoadedProgram> {
    if (source instanceof WebAssembly.Module) return { module: source, compileMs: 0 };
    let compileMs = 0;
    const timed = (bytes: Uint8Array) =>
      this.compileOnce(bytes, (ms) => {
        compileMs = ms;
      });
    let pending: Promise<WebAssembly.Module>;
    if (typeof source === 'string') {
      pending = this.remember(this.byLocation, source, () => this.fetch(source).then(timed));
    } else {
      const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
      pending = this.byObject.get(source) ?? timed(bytes);
      this.byObject.set(source, pending);
      pending.catch(() => this.byObject.delete(source));
    }
    return { module: await pending, compileMs };
  }

  private async fetch(location: string): Promise<Uint8Array> {
    try {
      return await this.fetcher(location);
    } catch (e) {
      throw new ProgramError(`program could not be fetched: ${location}: ${(e as Error).message}`);
    }
  }

  private async compileOnce(bytes: Uint8Array, onCompiled: (ms: number) => void): Promise<WebAssembly.Module> {
    const hash = await contentHash(bytes);
    return this.remember(this.byHash, hash, async () => {
      const start = performance.now();
      try {
        const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
        onCompiled(performance.now() - start);
        return module;
      } catch (e) {
        throw new ProgramError(`program is not valid WebAssembly: ${(e as Error).message}`);
      }
    });
  }

  /** Caches a promise under `key`, forgetting it if it fails so that a later run may try again. */
  private remember<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    let pending = map.get(key);
    if (!pending) {
      pending = make();
      map.set(key, pending);
      pending.catch(() => map.delete(key));
    }
    return pending;
  }
}
