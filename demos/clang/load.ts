// Fetches files whole, reporting bytes received across all of them, for a progress bar: clang is
// 75 MB and its sysroot 30 MB, which fetch() alone would fetch in silence.

export interface Progress {
  loaded: number;
  /** Sum of the Content-Length headers; null when any response has none, or is compressed. */
  total: number | null;
}

export async function fetchAll(urls: string[], onProgress: (progress: Progress) => void): Promise<Uint8Array[]> {
  const responses = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok || !response.body) throw new Error(`${url}: ${response.status} ${response.statusText}`.trim());
      return response;
    }),
  );
  // A compressed response's Content-Length counts the bytes on the wire, not those the reader gives.
  const lengths = responses.map((r) => (r.headers.get('Content-Encoding') ?? 'identity') === 'identity' ? Number(r.headers.get('Content-Length') ?? NaN) : NaN);
  const total = lengths.every((n) => Number.isFinite(n)) ? lengths.reduce((a, b) => a + b, 0) : null;
  let loaded = 0;
  onProgress({ loaded, total });
  return Promise.all(
    responses.map(async (response) => {
      const chunks: Uint8Array[] = [];
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        onProgress({ loaded, total });
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      return bytes;
    }),
  );
}
