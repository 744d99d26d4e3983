// ZeroVM in Node: the same host and worker code, with worker_threads and the local filesystem.
import { type BodyProgress, type BodySink, type BodyWanted, fetchBytes } from '../host/body.js';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { type Platform, type RunOptions, VmHost, type ZeroVMOptions } from '../host/vm-host.js';
import { readMount } from './mount.js';
import { DirVolumeStore } from './volume-dir.js';
import type { VolumeStore } from '../host/volumes/store.js';

// In the package the worker sits beside node.js and cli.js. From source (tests, tsx) it is the .ts
// entry, and tsx's loader hooks do not reach worker threads in Node 20: the worker registers them itself.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = fromSource ? new URL('../worker/node-entry.ts', import.meta.url) : new URL('./node-worker.js', import.meta.url);
const sourceBoot = fromSource
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); })`
  : '';

/** A program by URL (fetched) or path (read whole, as one piece for a sink). */
async function readProgram(location: string, onBytes?: BodyProgress): Promise<Uint8Array>;
async function readProgram(location: string, onBytes: BodyProgress | undefined, wanted: BodyWanted | undefined, sink?: BodySink): Promise<Uint8Array | null>;
async function readProgram(location: string, onBytes?: BodyProgress, wanted?: BodyWanted, sink?: BodySink): Promise<Uint8Array | null> {
  if (/^https?:\/\//.test(location)) return fetchBytes(location, onBytes, wanted, sink);
  const bytes = new Uint8Array(await readFile(location.startsWith('file:') ? new URL(location) : location));
  onBytes?.(bytes.length, bytes.length);
  if (!sink) return bytes;
  sink.push(bytes, bytes.length);
  return sink.end();
}

export const nodePlatform: Platform = {
  spawn(url) {
    const worker = url ? new Worker(url) : fromSource ? new Worker(sourceBoot, { eval: true }) : new Worker(workerUrl);
    worker.unref(); // an idle pool must not keep the process alive
    const failed = new Promise<Error>((resolve) => {
      worker.once('error', (e) => resolve(new Error(`the VM worker could not start (${String(url ?? workerUrl)}): ${e.message}`)));
    });
    return { endpoint: nodeEndpoint(worker), terminate: () => void worker.terminate(), failed };
  },
  fetch: readProgram,
  readMount,
  defaultPoolSize: 1,
};

export interface NodeZeroVMOptions extends ZeroVMOptions {
  /** Where volumes live: a directory holding one directory per volume, or a store of your own. */
  volumes?: string | VolumeStore;
}

export class NodeZeroVM extends VmHost {
  constructor(options: NodeZeroVMOptions = {}) {
    const { volumes } = options;
    const store = typeof volumes === 'string' ? () => DirVolumeStore.under(volumes) : volumes ? () => volumes : undefined;
    super(options, store ? { ...nodePlatform, volumes: store } : nodePlatform);
  }
}

/** Runs one manifest in a fresh single-worker ZeroVM, then lets the worker go. */
export async function runInNode(manifest: Manifest, options?: RunOptions): Promise<Report> {
  const vm = new NodeZeroVM({ pool: 1 });
  try {
    return await vm.run(manifest, options);
  } finally {
    vm.dispose();
  }
}
