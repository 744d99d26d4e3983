// Size: what a page downloads for the runtime, minified and gzipped. The core is the page-side
// API (src/index.ts) plus the VM worker (src/worker/browser-entry.ts), each bundled with its
// dependencies; the element is src/elements/zero-vm.ts with all of its own (Lit included).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MetricResult, Section } from '../../demos/bench/metrics.js';

const root = new URL('../../', import.meta.url);

async function gzipBytes(entry: string): Promise<number> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, root))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // Assets the worker URL pattern points at are separate downloads, counted on their own.
    external: ['*.wasm'],
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

async function measure(id: 'size-core' | 'size-element', entries: string[]): Promise<MetricResult> {
  try {
    const sizes = await Promise.all(entries.map(gzipBytes));
    const parts = entries.map((e, i) => `${e}: ${sizes[i]} B`).join(', ');
    return { id, values: { zerovm: sizes.reduce((a, b) => a + b, 0) }, notes: [parts] };
  } catch (e) {
    return { id, values: { zerovm: null }, notes: [`could not be bundled: ${(e as Error).message.split('\n').slice(0, 2).join(' ')}`] };
  }
}

export async function measureSizes(): Promise<Section> {
  return {
    env: 'esbuild --bundle --minify, gzip -9',
    runtimes: ['zerovm'],
    metrics: [
      await measure('size-core', ['src/index.ts', 'src/worker/browser-entry.ts']),
      await measure('size-element', ['src/elements/zero-vm.ts']),
    ],
  };
}
