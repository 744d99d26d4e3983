// The Extism host ABI's code (kernel/extism/), loaded by a worker with its first plugin call: most
// workers only ever run programs, and the worker script stays smaller without it.
type ExtismAbi = typeof import('../kernel/extism/env.js');

let loaded: ExtismAbi | null = null;

export async function loadExtism(): Promise<ExtismAbi> {
  return (loaded ??= await import('../kernel/extism/env.js'));
}

/** The loaded ABI: a plugin call's request loads it (loadExtism) before the call runs. */
export function extism(): ExtismAbi {
  if (!loaded) throw new Error('the Extism ABI was not loaded before a plugin call');
  return loaded;
}
