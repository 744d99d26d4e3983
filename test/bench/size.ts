// Size: what a page downloads, minified and gzipped, measured on the package as it ships (dist/,
// built by scripts/build.mjs): for run(), dist/index.js with the chunks it imports and the VM
// worker it starts; for <zero-vm>, dist/element.js with its chunks (Lit and xterm.js included)
// and the same worker. Each file is gzipped on its own, as a server sends it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MetricResult, Section } from '../../demos/bench/metrics.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = (file: string) => `${root}dist/${file}`;

/** `entry` and every dist module it imports, in the order found. */
function closure(entry: string): string[] {
  const files = [entry];
  for (let i = 0; i < files.length; i++) {
    const code = readFileSync(dist(files[i]), 'utf8');
    for (const [, file] of code.matchAll(/(?:from|import)\s*"\.\/([\w.-]+\.js)"/g)) if (!files.includes(file)) files.push(file);
  }
  return files;
}

function measure(id: 'size-core' | 'size-element', entry: string): MetricResult {
  // The worker's own static chunks count too; what either loads by import() (volumes, tar, plugins) does not.
  const files = [...closure(entry), ...closure('vm-worker.js')];
  const sizes = files.map((f) => gzipSync(readFileSync(dist(f)), { level: 9 }).length);
  const parts = files.map((f, i) => `${f}: ${sizes[i]} B`).join(', ');
  return { id, values: { zerovm: sizes.reduce((a, b) => a + b, 0) }, notes: [parts] };
}

export async function measureSizes(): Promise<Section> {
  execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'ignore' });
  return {
    env: 'the built package (dist/), gzip -9 per file',
    runtimes: ['zerovm'],
    metrics: [measure('size-core', 'index.js'), measure('size-element', 'element.js')],
  };
}
