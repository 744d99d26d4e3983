// A program no engine has compiled before (for cold-start samples), in the page and in Node alike.

/**
 * The same program with a custom section holding a random nonce appended: different bytes, so
 * neither a content-hash cache nor V8's module cache can hand back an earlier compilation.
 */
export function freshCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode('bench-nonce');
  const nonce = crypto.getRandomValues(new Uint8Array(16));
  const size = 1 + name.length + nonce.length; // < 128: one LEB128 byte
  const out = new Uint8Array(bytes.length + 2 + size);
  out.set(bytes);
  let at = bytes.length;
  out[at++] = 0; // custom section id
  out[at++] = size;
  out[at++] = name.length;
  out.set(name, at);
  out.set(nonce, at + name.length);
  return out;
}
