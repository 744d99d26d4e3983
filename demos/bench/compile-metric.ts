// compile-clang: what one page load of demos/bench/compile.html measured, shared by the page and the
// runner (test/bench/compile.ts), which loads it three times in one browser profile.

/** The Cache API cache of src/host/module-store.ts (not exported there: the page empties and counts it). */
export const MODULE_CACHE = 'zerovm-modules-v1';

export interface CompileLoad {
  /** report.timings.moduleFrom of the run: `compiled` (from its bytes) or `browser` (the module cache). */
  moduleFrom: string;
  /** vm.run() called → the module compiled (the compile phase's last onProgress): fetch + hash + compile. */
  toCompiledMs: number;
  /** vm.run() called → the body's last byte (the fetch phase's last onProgress). */
  fetchMs: number;
  /** The body's last byte → the compile phase's start: the content hash's last piece (the rest are hashed as they come) and bookkeeping. */
  hashMs: number;
  /** report.timings.compileMs: the policy scan and compile, or the module cache's lookup and compileStreaming. */
  compileMs: number;
  /** Compiled → the run's report (posting the module, instantiating, clang -cc1 -O2, the report). */
  runWallMs: number;
  instantiateMs: number;
  runMs: number;
  /** The object file clang wrote, in stdout characters (a sanity check: the run did compile). */
  objectBytes: number;
  /** Resource Timing's transferSize of clang's fetch: its whole size from the server, ~300 B when the HTTP cache revalidated it (304), 0 when it answered alone; null when unknown. */
  transferBytes: number | null;
  /** Entries in the module cache before the run and after its store was written. */
  storedBefore: number;
  storedAfter: number;
  storeWaitMs: number;
}
