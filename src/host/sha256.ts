// Content hashes on the host (images, volume chunks and trees; programs through content-hash.ts):
// SHA-256 in hex, by WebCrypto.

export async function sha256(bytes: Uint8Array): Promise<string> {
  return hexOf(await sha256Digest(bytes));
}

/** The SHA-256 of `bytes`, as bytes. WebCrypto copies them when called: they may change after. */
export const sha256Digest = (bytes: Uint8Array): Promise<ArrayBuffer> => crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);

export function hexOf(digest: ArrayBuffer): string {
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}
