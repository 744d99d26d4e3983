// The Node rows: our NodeZeroVM against node:wasi, on the same guests and the same measures as the page.
import { runSection, type SectionOptions } from '../../../demos/bench/measures.js';
import type { Section } from '../../../demos/bench/metrics.js';
import type { BenchRuntime } from '../../../demos/bench/runtimes/runtime.js';
import { bundleNodeHost, bundlePeerWorker } from './bundle.js';
import { nodeBareRuntime, nodeWasiRuntime } from './peers.js';
import { nodeZeroVmRuntime } from './zerovm.js';

/** Stands in for our runtime when it cannot even be loaded, so that the peers still get measured. */
function unavailable(reason: string): BenchRuntime {
  const fail = () => Promise.reject(new Error(reason));
  return { name: 'zerovm', slots: 1, notes: [], setup: fail, run: fail, cold: fail, dispose() {} };
}

export async function runNodeSuite(options: SectionOptions = {}): Promise<Section> {
  const peerWorker = await bundlePeerWorker();
  let ours: BenchRuntime;
  try {
    const { NodeZeroVM } = (await import((await bundleNodeHost()).href)) as typeof import('../../../src/cli/node-host.js');
    ours = nodeZeroVmRuntime(NodeZeroVM);
  } catch (e) {
    ours = unavailable(`could not be built: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
  }
  const slots = ours.slots; // node:wasi gets as many workers as our default pool
  const notes = [`pool: ${slots} (NodeZeroVM's default)`, `flags: ${process.execArgv.join(' ')}`];
  return runSection(`node ${process.versions.node}`, [ours, nodeWasiRuntime(peerWorker, slots)], nodeBareRuntime(peerWorker), notes, options);
}
