// The Node rows: our NodeZeroVM against node:wasi, on the same guests and the same measures as the
// page; and, in a section of its own, our plugins beside Extism's JS SDK on the same plugin.
import { chosen, COMMAND_METRICS, PLUGIN_METRICS, runSection, type SectionOptions } from '../../../demos/bench/measures.js';
import type { Section } from '../../../demos/bench/metrics.js';
import { pluginNotes } from '../../../demos/bench/plugin-measures.js';
import type { BenchRuntime } from '../../../demos/bench/runtimes/runtime.js';
import { bundleNodeHost, bundlePeerWorker } from './bundle.js';
import { extismRuntimes } from './extism.js';
import { nodeBareRuntime, nodeWasiRuntime } from './peers.js';
import { pluginBytes } from './programs.js';
import { nodeZeroVmRuntime } from './zerovm.js';

/** Stands in for our runtime when it cannot even be loaded, so that the peers still get measured. */
function unavailable(reason: string): BenchRuntime {
  const fail = () => Promise.reject(new Error(reason));
  return { name: 'zerovm', slots: 1, notes: [], setup: fail, run: fail, cold: fail, dispose() {} };
}

type Host = typeof import('../../../src/cli/node-host.js').NodeZeroVM;

/** The sections with a chosen metric: the commands', then the plugins'. */
export async function runNodeSuite(options: SectionOptions = {}): Promise<Section[]> {
  const env = `node ${process.versions.node}`;
  const flags = `flags: ${process.execArgv.join(' ')}`;
  let host: Host | string;
  try {
    host = ((await import((await bundleNodeHost()).href)) as typeof import('../../../src/cli/node-host.js')).NodeZeroVM;
  } catch (e) {
    host = `could not be built: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`;
  }
  const ours = (plugin?: Uint8Array) => (typeof host === 'string' ? unavailable(host) : nodeZeroVmRuntime(host, plugin));
  const sections: Section[] = [];
  if (chosen(COMMAND_METRICS, options).length > 0) {
    const peerWorker = await bundlePeerWorker();
    const zerovm = ours();
    const slots = zerovm.slots; // node:wasi gets as many workers as our default pool
    const notes = [`pool: ${slots} (NodeZeroVM's default)`, flags];
    sections.push(await runSection(env, [zerovm, nodeWasiRuntime(peerWorker, slots)], nodeBareRuntime(peerWorker), notes, options));
  }
  if (chosen(PLUGIN_METRICS, options).length > 0) {
    const wasm = await pluginBytes();
    sections.push(await runSection(`${env} · plugins`, [ours(wasm), ...extismRuntimes(wasm)], null, [flags, ...pluginNotes(wasm, options.quick)], options, PLUGIN_METRICS));
  }
  return sections;
}
