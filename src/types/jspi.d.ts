// JavaScript Promise Integration (Chromium 137+, Firefox 153): not in TypeScript's lib yet.
declare namespace WebAssembly {
  /** Wraps an import: when it returns a promise, the calling wasm is suspended until it settles. */
  class Suspending {
    constructor(fn: (...args: any[]) => unknown);
  }
  /** Wraps an export: calling it returns a promise of its result, and lets its imports suspend. */
  function promising<T extends (...args: any[]) => unknown>(fn: T): (...args: Parameters<T>) => Promise<ReturnType<T>>;
}
