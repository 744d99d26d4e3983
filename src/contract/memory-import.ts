// A module's own memory as the host makes it an import (host/module-policy.ts) and the worker
// provides it (worker/memories.ts).

/** The import a module's one memory becomes. */
export const MEMORY_IMPORT = { module: 'zerovm', name: 'memory' } as const;

/** Whether an import is that one (zerovm.memory). */
export const isMemoryImport = (i: { module: string; name: string }) => i.module === MEMORY_IMPORT.module && i.name === MEMORY_IMPORT.name;

/** The custom section that gives the imported memory's limits (the JS API does not tell an import's limits): JSON of a MemoryShape. */
export const MEMORY_SECTION = 'zerovm.memory';

/** An imported memory's limits, in 64 KiB pages. */
export interface MemoryShape {
  initial: number;
  maximum: number;
}
