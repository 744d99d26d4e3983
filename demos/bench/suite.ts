// The browser benchmarks: our runtime, browser_wasi_shim and runno, on the same guests.
import { runSection, type SectionOptions } from './measures.js';
import type { Section } from './metrics.js';
import { RunnoRuntime } from './runtimes/runno.js';
import { bareRuntime, shimRuntime } from './runtimes/shim.js';
import { zeroVmRuntime } from './runtimes/zerovm.js';

export type { SectionOptions };

export function runBrowserSuite(options: SectionOptions = {}): Promise<Section> {
  const ours = zeroVmRuntime();
  const slots = ours.slots; // peers get as many workers as our default pool
  const notes = [
    `crossOriginIsolated: ${crossOriginIsolated}; hardwareConcurrency: ${navigator.hardwareConcurrency}; pool: ${slots}`,
    'MB = 10^6 bytes; throughputs are wall time from the page less an empty run of the same program',
  ];
  return runSection(browserName(), [ours, shimRuntime(slots), new RunnoRuntime(slots)], bareRuntime(), notes, options);
}

/** The browser, and how a guest waits on this page where it is not cross-origin isolated. */
function browserName(): string {
  const m = /(Chrome|Firefox)\/(\d+)/.exec(navigator.userAgent);
  const name = m ? `${m[1] === 'Chrome' ? 'chromium' : 'firefox'} ${m[2]}` : navigator.userAgent;
  if (crossOriginIsolated) return name;
  return `${name}, not isolated (${'Suspending' in WebAssembly ? 'JSPI' : 'no JSPI, no SharedArrayBuffer'})`;
}
