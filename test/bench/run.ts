// `npm run bench`: the browser rows (headless Chromium on demos/bench.html?auto, cross-origin
// isolated; then the spawn and live metrics again on the page without isolation: the message
// link and the JSPI path), the Node
// rows — each a section of WASI commands and one of plugins — and the sizes; printed as a table,
// or with --json as JSON. Progress goes to stderr.
//   --quick          fewer samples (a look, not stable figures)
//   --only=a,b       only these metrics (ids from demos/bench/metrics.ts)
//   --no-browser / --no-node / --no-size
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { MetricId, Section } from '../../demos/bench/metrics.js';
import { runBrowser } from './browser.js';
import { runNodeSuite } from './node/suite.js';
import { measureSizes } from './size.js';
import { formatSection } from './table.js';

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    'no-node': { type: 'boolean', default: false },
    'no-size': { type: 'boolean', default: false },
  },
});

const only = flags.only?.split(',') as MetricId[] | undefined;
const started = performance.now();
const progress = (m: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}\n`);

const sections: Section[] = [];
if (!flags['no-browser']) {
  progress('browser: vite + headless chromium');
  sections.push(...(await runBrowser({ quick: flags.quick, only, progress })));
}
if (!flags['no-node']) {
  sections.push(...(await runNodeSuite({ quick: flags.quick, only, onProgress: (m) => progress(`node: ${m}`) })));
}
if (!flags['no-size']) {
  progress('sizes');
  sections.push(await measureSizes());
}

if (flags.json) {
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}` };
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), machine, quick: flags.quick, sections }, null, 2)}\n`);
} else {
  process.stdout.write(`${sections.map(formatSection).join('\n\n')}\n`);
}
progress(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(0); // pools and servers that linger would otherwise keep the process alive
