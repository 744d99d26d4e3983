// A promise with its settling functions at hand (Promise.withResolvers, which Node 20 lacks).

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** A promise to settle later; `handled`: its rejection is seen by those who await it, if any, and is never reported as unhandled. */
export function deferred<T>(handled = false): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  if (handled) promise.catch(() => undefined);
  return { promise, resolve, reject };
}
