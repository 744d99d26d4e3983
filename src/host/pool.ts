// The warm pool: workers started ahead of need, so that a run never waits for one to boot.
// A worker runs one VM at a time; a VM that is killed takes its worker with it, and a fresh
// worker takes the slot at once.
import * as Comlink from 'comlink';
import { isRunReply, requestText, type RunMessage, type RunReply, type VmRequest, type VmResult, type VmService } from '../contract/protocol.js';
import { nextTask } from '../contract/next-task.js';
import { etagModule } from './etag-module.js';
import { warmUpGuest } from './warm-up.js';
import { type LinkReader, linkReader } from './link.js';

/** A VM worker as its platform starts it: a Web Worker on the page, a worker_threads Worker in Node. */
export interface SpawnedWorker {
  endpoint: Comlink.Endpoint;
  terminate(): void;
  /** Settles if the worker fails to start (its script cannot be loaded or run). */
  failed: Promise<Error>;
}

/** Starts a VM worker, from `workerUrl` when given (ZeroVMOptions.workerUrl). */
export type WorkerSpawner = (workerUrl?: string | URL) => SpawnedWorker;

export interface PoolWorker {
  /**
   * Runs `request` on `module`: through the shared block when it can (see LinkReader.offer), else
   * one message there and one back, after the run's output (see RunMessage). The module, and each
   * tar image's bytes, are sent only to a worker that has not been given them.
   */
  run(request: VmRequest, module: WebAssembly.Module): Promise<VmResult>;
  /** Output and channel stats of the current run, as they come. */
  link: LinkReader;
  /** Settles once the worker has booted and answered; rejects if it could not start. */
  up: Promise<unknown>;
  /** `up` has settled well: a run need not wait on it. */
  booted: boolean;
  terminate(): void;
}

type Waiter = (worker: PoolWorker | null) => void;

export class Pool {
  private idle: PoolWorker[] = [];
  private waiting: Waiter[] = [];
  private live = new Set<PoolWorker>();
  private disposed = false;
  /** The workers after the first have been started. */
  private grown = false;

  /** `plugin`: the pool of a plugin, whose workers load the Extism ABI as they boot. */
  constructor(
    readonly size: number,
    private spawn: WorkerSpawner,
    private plugin = false,
  ) {
    // One worker at once; the rest once it is up and idle, or a task after its first run is over,
    // or as soon as a run has to wait for one: a first run does not share the cores with workers that
    // boot for no run yet (the first run's code is cold, and a worker's boot is ~15 ms of CPU).
    const first = this.start();
    this.idle.push(first);
    first.up.then(
      () => {
        if (this.idle.includes(first)) this.grow();
      },
      () => undefined, // a worker that cannot start: the run that takes it says why
    );
  }

  /** Starts the pool's other workers (once). */
  private grow(): void {
    if (this.grown) return;
    this.grown = true;
    for (let i = 1; i < this.size && !this.disposed; i++) this.release(this.start());
  }

  /** Workers alive now (idle or busy). */
  get workers(): number {
    return this.live.size;
  }

  /**
   * A worker for one run; null if `abandoned` settles first (the run was killed while it waited),
   * and then no worker is given to it later.
   */
  acquire(abandoned: Promise<unknown>): Promise<PoolWorker | null> {
    if (this.disposed) return Promise.reject(new Error('this ZeroVM has been disposed'));
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => {
      const waiter: Waiter = resolve;
      this.waiting.push(waiter);
      this.grow();
      void abandoned.then(() => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return; // it was given a worker already: the caller gives it back
        this.waiting.splice(at, 1);
        resolve(null);
      });
    });
  }

  release(worker: PoolWorker): void {
    worker.link.onRecords = null;
    if (this.disposed) return this.end(worker);
    // A task later: starting workers takes the page ~2 ms, which the first run's report need not wait for.
    if (!this.grown) nextTask(() => this.grow());
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  /** Ends a worker that was running a VM (kill, timeout, failure) and puts a fresh one in its place. */
  replace(worker: PoolWorker): void {
    this.end(worker);
    if (!this.disposed) this.release(this.start());
  }

  dispose(): void {
    this.disposed = true;
    for (const worker of [...this.live]) this.end(worker);
    this.idle = [];
    for (const waiter of this.waiting.splice(0)) waiter(null);
  }

  private start(): PoolWorker {
    const { endpoint, terminate, failed } = this.spawn();
    const link = linkReader();
    const runs = new RunDesk(endpoint, link);
    // Output messages come on the worker's own port, in order with the run's reply.
    endpoint.addEventListener('message', (event) => {
      const data = (event as MessageEvent).data;
      if (isRunReply(data)) runs.settle(data);
      else link.receive(data);
    });
    const service = Comlink.wrap<VmService>(endpoint);
    const worker: PoolWorker = { run: (request, module) => runs.send(request, module), link, terminate, up: Promise.resolve(), booted: false };
    const { attachment } = link;
    // Once the etag hash and the warm-up guest are compiled (the first worker of a page waits for
    // them while it boots): a run sent meanwhile, even before the attach, waits for it in the
    // worker. A warm-up that did not compile is done without: it only saves time.
    const attach = Promise.all([etagModule(), warmUpGuest().catch(() => undefined)]).then(([etag, warmUp]) =>
      service.attach(attachment instanceof MessagePort ? Comlink.transfer(attachment, [attachment]) : attachment, { etag, plugin: this.plugin, warmUp }),
    );
    worker.up = Promise.race([attach, failed.then((e) => Promise.reject(e))]);
    worker.up.then(() => (worker.booted = true), () => undefined); // a failure is seen by the run that takes this worker, if any
    this.live.add(worker);
    return worker;
  }

  private end(worker: PoolWorker): void {
    worker.terminate();
    worker.link.close();
    this.live.delete(worker);
  }
}

/** Modules a worker keeps: past this many, the host tells it to drop the one sent longest ago. */
const WORKER_MODULES = 32;

/** A worker's runs on the wire: the one in flight, and what the worker holds: modules (by key, oldest first) and tar images (unpacked, by content hash). */
class RunDesk {
  private pending: { run: number; resolve: (r: VmResult) => void; reject: (e: Error) => void } | null = null;
  private modules = new Set<string>();
  private images = new Set<string>();

  constructor(
    private endpoint: Comlink.Endpoint,
    private link: LinkReader,
  ) {
    link.onReply = (reply) => this.settle(reply); // a reply that came through the shared block
  }

  send(request: VmRequest, module: WebAssembly.Module): Promise<VmResult> {
    if (!this.modules.has(request.moduleKey)) {
      request.module = module;
      this.modules.add(request.moduleKey);
      if (this.modules.size > WORKER_MODULES) {
        const [oldest] = this.modules;
        this.modules.delete(oldest);
        request.forget = [oldest];
      }
    }
    if (request.images.length > 0) {
      request.images = request.images.map((image) => {
        if (!this.images.has(image.key)) {
          this.images.add(image.key);
          return image;
        }
        const { bytes: _given, ...rest } = image; // the worker keeps it unpacked
        return rest;
      });
    }
    return new Promise((resolve, reject) => {
      this.pending = { run: request.run, resolve, reject };
      // A warm run goes through the shared block, to a worker waiting on it; the rest as a message.
      if (this.link.offer(request)) return;
      // As text when JSON spells it (a worker takes the same text again as the same request, see
      // worker/last-request.ts; a string clones cheaper than the objects), else as it is.
      const text = requestText(request);
      this.endpoint.postMessage((text === null ? { zerovm: 'run', request } : { zerovm: 'run', run: request.run, text }) satisfies RunMessage);
    });
  }

  settle(reply: RunReply): void {
    const pending = this.pending;
    if (pending?.run !== reply.run) return; // a run the host gave up on (its worker was replaced)
    this.pending = null;
    switch (reply.zerovm) {
      case 'result':
        return pending.resolve(reply.result);
      case 'failed':
        return pending.reject(new Error(`the VM worker failed: ${reply.message}`));
    }
  }
}
