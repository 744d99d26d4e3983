// Promises kept for whoever asks next, and forgotten when they fail, so that a later ask tries
// again: the program cache's fetches and compiles, and the modules every worker is given.

/** Caches a promise under `key`, forgetting it if it fails so that a later run may try again. */
export function remember<K, T>(map: { get(k: K): Promise<T> | undefined; set(k: K, v: Promise<T>): unknown; delete(k: K): unknown }, key: K, make: () => Promise<T>): Promise<T> {
  let pending = map.get(key);
  if (!pending) {
    pending = make();
    map.set(key, pending);
    pending.catch(() => map.delete(key));
  }
  return pending;
}

/** What `make` gives, made the first time it is asked for (and again after a failure). */
export function madeOnce<T>(make: () => Promise<T>): () => Promise<T> {
  const made = new Map<true, Promise<T>>();
  return () => remember(made, true, make);
}
