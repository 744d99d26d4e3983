// A program's content hash: SHA-256 over the SHA-256s of its 1 MiB pieces. WebCrypto has no
// streaming digest, so a plain SHA-256 could only start after the last byte (clang's 75 MB took
// 115–206 ms there); pieces are hashed as the download brings them, and bytes given whole are hashed
// piece by piece at once. Always two levels, even for one piece: a 64-byte program could otherwise
// be the pieces' digests of another and take its key.
import { concatBytes } from '../contract/bytes.js';
import type { BodySink } from './body.js';
import { hexOf, sha256Digest as digest } from './sha256.js';

export const HASH_PIECE = 1 << 20;

/**
 * Takes bytes as they come, cut anywhere; `end()` gives the hash of them all, the same as
 * contentHash's. What it is given must not change until `end()` is called (a body's chunks do not).
 */
export class ContentHasher {
  /** The pieces' digests, in order: WebCrypto copies its input when called, so each may settle later. */
  private digests: Promise<ArrayBuffer>[] = [];
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Bytes given so far. */
  size = 0;

  push(bytes: Uint8Array): void {
    this.size += bytes.length;
    let at = 0;
    // Whole pieces straight from `bytes` once nothing is held; the rest is held until it makes one.
    while (at < bytes.length) {
      if (this.heldBytes === 0 && bytes.length - at >= HASH_PIECE) {
        this.digests.push(digest(bytes.subarray(at, at + HASH_PIECE)));
        at += HASH_PIECE;
        continue;
      }
      const take = Math.min(HASH_PIECE - this.heldBytes, bytes.length - at);
      this.held.push(bytes.subarray(at, at + take));
      this.heldBytes += take;
      at += take;
      if (this.heldBytes === HASH_PIECE) this.flush();
    }
  }

  async end(): Promise<string> {
    if (this.heldBytes > 0 || this.digests.length === 0) this.flush(); // the last piece (or the one empty piece of no bytes)
    const digests = await Promise.all(this.digests);
    return hexOf(await digest(concatBytes(digests.map((d) => new Uint8Array(d)))));
  }

  private flush(): void {
    this.digests.push(digest(concatBytes(this.held, this.heldBytes)));
    this.held = [];
    this.heldBytes = 0;
  }
}

/** The content hash of `bytes` given whole (their pieces hashed at once). */
export function contentHash(bytes: Uint8Array): Promise<string> {
  const hasher = new ContentHasher();
  hasher.push(bytes);
  return hasher.end();
}

/** A body's sink that hashes the pieces as they come and passes them on to `inner`, or else keeps them itself. */
export class HashingSink implements BodySink {
  readonly hasher = new ContentHasher();
  private parts: Uint8Array[] = [];

  constructor(readonly inner: BodySink | null) {}

  push(chunk: Uint8Array, total: number | null): void {
    if (this.inner) this.inner.push(chunk, total);
    else this.parts.push(chunk);
    this.hasher.push(chunk);
  }

  end(): Uint8Array {
    return this.inner ? this.inner.end() : concatBytes(this.parts, this.hasher.size);
  }
}
