// The Extism host ABI's code (kernel/extism/), loaded by a worker with its first plugin call: most
// workers only ever run programs, and the worker script stays smaller without it.
type ExtismAbi = typeof import('../kernel/extism/env.js');

let loaded: ExtismAbi | null = null;

/** Loads the ABI; null once it is loaded (a plugin call then need not wait a microtask for it). */
export function loadExtism(): Promise<void> | null {
  if (loaded) return null;
  return import('../kernel/extism/env.js').then((abi) => {
    loaded = abi;
  });
}

/** The loaded ABI: a plugin call's request loads it (loadExtism) before the call runs. */
export function extism(): ExtismAbi {
  if (!loaded) throw new Error('the Extism ABI was not loaded before a plugin call');
  return loaded;
}
