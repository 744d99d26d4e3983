// Deterministic pseudo-random bytes (xorshift32) for tests, in Node and in the browser: binary
// content in which every byte value shows up and nothing repeats over short spans.
export function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
