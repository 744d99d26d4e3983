// The warm pool: workers started ahead of need, so that a run never waits for one to boot.
// A worker runs one VM at a time; a VM that is killed takes its worker with it, and a fresh
// worker takes the slot at once.
import * as Comlink from 'comlink';
import type { OutputChunk, VmService } from '../contract/protocol.js';

/** Starts a VM worker: a Web Worker on the page, a worker_threads Worker in Node. */
export type WorkerSpawner = () => { endpoint: Comlink.Endpoint; terminate(): void };

export interface PoolWorker {
  service: Comlink.Remote<VmService>;
  /**
   * service.run, fetched once: each property read on a Comlink remote makes a new proxy (and
   * registers it for finalization), which cost ~30 µs a run.
   */
  run: Comlink.Remote<VmService>['run'];
  /** Where this worker's streamed output goes during the current run. */
  onOutput: ((chunks: OutputChunk[]) => void) | null;
  /** Settles once the worker has booted and answered. */
  up: Promise<unknown>;
  terminate(): void;
}

export class Pool {
  private idle: PoolWorker[] = [];
  private waiting: ((worker: PoolWorker) => void)[] = [];
  private live = new Set<PoolWorker>();
  private disposed = false;

  constructor(
    readonly size: number,
    private spawn: WorkerSpawner,
  ) {
    // One worker at once; the rest once it is up, so that a first run does not share the cores
    // with workers it does not need yet.
    const first = this.start();
    this.idle.push(first);
    void first.up.then(() => {
      for (let i = 1; i < size && !this.disposed; i++) this.release(this.start());
    });
  }

  /** Workers alive now (idle or busy). */
  get workers(): number {
    return this.live.size;
  }

  acquire(): Promise<PoolWorker> {
    if (this.disposed) return Promise.reject(new Error('this ZeroVM has been disposed'));
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(worker: PoolWorker): void {
    worker.onOutput = null;
    if (this.disposed) return this.end(worker);
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  /** Ends a worker that was running a VM (kill, timeout) and puts a fresh one in its place. */
  replace(worker: PoolWorker): void {
    this.end(worker);
    if (!this.disposed) this.release(this.start());
  }

  dispose(): void {
    this.disposed = true;
    for (const worker of [...this.live]) this.end(worker);
    this.idle = [];
    this.waiting = [];
  }

  private start(): PoolWorker {
    const { endpoint, terminate } = this.spawn();
    const service = Comlink.wrap<VmService>(endpoint);
    const worker: PoolWorker = { service, run: service.run, onOutput: null, terminate, up: Promise.resolve() };
    worker.up = service.attach(Comlink.proxy((chunks: OutputChunk[]) => worker.onOutput?.(chunks))).catch(() => undefined);
    this.live.add(worker);
    return worker;
  }

  private end(worker: PoolWorker): void {
    worker.terminate();
    this.live.delete(worker);
  }
}
