// Bytes in pieces, put together: one helper for every layer (a recorded read, a call's request, a
// volume file's chunks).

/** `parts` in one Uint8Array (the part itself when there is one). */
export function concatBytes(parts: readonly Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1 && parts[0].length === total) return parts[0];
  const all = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
