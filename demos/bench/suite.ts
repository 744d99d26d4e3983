// The browser benchmarks: our runtime, browser_wasi_shim and runno, on the same guests; and, in a
// section of its own, our plugins beside Extism's JS SDK on the same plugin.
import { chosen, COMMAND_METRICS, PLUGIN_METRICS, runSection, type SectionOptions } from './measures.js';
import type { Section } from './metrics.js';
import { pluginNotes } from './plugin-measures.js';
import { pluginBytes } from './programs.js';
import { ExtismRuntime } from './runtimes/extism.js';
import { RunnoRuntime } from './runtimes/runno.js';
import { bareRuntime, shimRuntime } from './runtimes/shim.js';
import { zeroVmRuntime } from './runtimes/zerovm.js';

export type { SectionOptions };

/** The sections with a chosen metric: the commands', then the plugins'. */
export async function runBrowserSuite(options: SectionOptions = {}): Promise<Section[]> {
  const sections: Section[] = [];
  const env = browserName();
  const page = `crossOriginIsolated: ${crossOriginIsolated}; hardwareConcurrency: ${navigator.hardwareConcurrency}`;
  if (chosen(COMMAND_METRICS, options).length > 0) {
    const ours = zeroVmRuntime();
    const slots = ours.slots; // peers get as many workers as our default pool
    const notes = [`${page}; pool: ${slots}`, 'MB = 10^6 bytes; throughputs are wall time from the page less an empty run of the same program'];
    sections.push(await runSection(env, [ours, shimRuntime(slots), new RunnoRuntime(slots)], bareRuntime(), notes, options));
  }
  if (chosen(PLUGIN_METRICS, options).length > 0) {
    const wasm = await pluginBytes();
    const runtimes = [zeroVmRuntime({ plugin: wasm }), new ExtismRuntime('@extism/extism', wasm, false), new ExtismRuntime('@extism/extism (worker)', wasm, true)];
    sections.push(await runSection(`${env} · plugins`, runtimes, null, [page, ...pluginNotes(wasm, options.quick)], options, PLUGIN_METRICS));
  }
  return sections;
}

/** The browser, and how a guest waits on this page where it is not cross-origin isolated. */
function browserName(): string {
  const m = /(Chrome|Firefox)\/(\d+)/.exec(navigator.userAgent);
  const name = m ? `${m[1] === 'Chrome' ? 'chromium' : 'firefox'} ${m[2]}` : navigator.userAgent;
  if (crossOriginIsolated) return name;
  return `${name}, not isolated (${'Suspending' in WebAssembly ? 'JSPI' : 'no JSPI, no SharedArrayBuffer'})`;
}
