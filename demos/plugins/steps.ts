// The plugins demo's chain: five untrusted plugins (C, built by demos/programs/build.sh), in the
// order the text passes through them, each with limits of its own. Two misbehave on purpose and
// start off: the user turns them on to watch their limits stop them.
import type { PluginLimits } from '../../src/index.js';

export interface Step {
  /** The plugin's name, as the page shows it and as its card's data-step. */
  name: string;
  /** What it does, in a few words. */
  about: string;
  /** The plugin's .wasm. */
  program: string;
  /** The export the chain calls: text in, text out. */
  function: string;
  limits: Required<Pick<PluginLimits, 'timeout' | 'memory' | 'output'>>;
  /** On when the page opens. */
  enabled: boolean;
}

const MiB = 1 << 20;
// Tight limits: the honest plugins need a few milliseconds and a few KiB of each.
const LIMITS = { timeout: 2000, memory: 16 * MiB, output: 64 * 1024 };

// Each URL a literal `new URL(…, import.meta.url)`: Vite ships the files only from that form.
export const STEPS: readonly Step[] = [
  {
    name: 'filter',
    about: 'stars out each word the page’s host function banned(word) answers "1" for',
    program: new URL('../programs/plugins/filter.wasm', import.meta.url).href,
    function: 'redact',
    limits: LIMITS,
    enabled: true,
  },
  {
    name: 'shout',
    about: 'puts the text in capitals',
    program: new URL('../programs/plugins/shout.wasm', import.meta.url).href,
    function: 'shout',
    limits: LIMITS,
    enabled: true,
  },
  {
    name: 'runaway',
    about: 'claims to translate the text, and loops forever',
    program: new URL('../programs/plugins/runaway.wasm', import.meta.url).href,
    function: 'translate',
    limits: { ...LIMITS, timeout: 1000 },
    enabled: false,
  },
  {
    name: 'flood',
    about: 'answers with the text repeated to 4 MiB',
    program: new URL('../programs/plugins/flood.wasm', import.meta.url).href,
    function: 'repeat',
    limits: LIMITS,
    enabled: false,
  },
  {
    name: 'wordcount',
    about: 'counts lines, words and characters, as JSON',
    program: new URL('../programs/plugins/wordcount.wasm', import.meta.url).href,
    function: 'count',
    limits: LIMITS,
    enabled: true,
  },
];
