// A runtime made of plain workers that are posted a compiled module per run (browser_wasi_shim,
// node:wasi, and the bare baselines): a warm pool like ours, and a module cache where it runs.
import { freshCopy } from '../fresh-copy.js';
import type { ProgramName } from '../programs.js';
import type { RunMessage, RunPort, WorkerReply } from './protocol.js';
import { type BenchRuntime, expectOk, type Job, type Outcome } from './runtime.js';

export class PostedModuleRuntime implements BenchRuntime {
  private idle: RunPort[] = [];
  private waiting: ((w: RunPort) => void)[] = [];
  private all: RunPort[] = [];
  private modules = new Map<ProgramName, Promise<WebAssembly.Module>>();

  constructor(
    readonly name: string,
    readonly slots: number,
    private spawn: () => RunPort,
    private load: (program: ProgramName) => Promise<Uint8Array>,
    readonly notes: string[] = [],
  ) {}

  async setup(): Promise<void> {
    for (let i = this.all.length; i < this.slots; i++) this.idle.push(this.track(this.spawn()));
    await Promise.all(this.idle.map((w) => this.ping(w)));
  }

  async run(job: Job): Promise<Outcome> {
    const started = performance.now();
    const module = await this.module(job.program);
    const worker = this.idle.pop() ?? (await new Promise<RunPort>((r) => this.waiting.push(r)));
    try {
      return await this.exchange(worker, module, job, started);
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  cold(job: Job): Promise<Outcome> {
    return this.onFreshWorker(job, null);
  }

  firstRun(job: Job, upMs: number): Promise<Outcome> {
    return this.onFreshWorker(job, upMs);
  }

  /** A run on a worker of its own, timed from its spawn (`upMs` null) or `upMs` after it, of a module never compiled before. */
  private async onFreshWorker(job: Job, upMs: number | null): Promise<Outcome> {
    const bytes = freshCopy(await this.load(job.program));
    let started = performance.now();
    const worker = this.spawn();
    try {
      if (upMs !== null) {
        await new Promise((resolve) => setTimeout(resolve, upMs));
        started = performance.now();
      }
      const module = await WebAssembly.compile(bytes);
      return await this.exchange(worker, module, job, started);
    } finally {
      worker.terminate();
    }
  }

  dispose(): void {
    for (const w of this.all) w.terminate();
    this.all = [];
    this.idle = [];
  }

  private module(name: ProgramName): Promise<WebAssembly.Module> {
    let m = this.modules.get(name);
    if (!m) {
      m = this.load(name).then((b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>));
      this.modules.set(name, m);
    }
    return m;
  }

  private track(w: RunPort): RunPort {
    this.all.push(w);
    return w;
  }

  /** A worker is warm once it has run something: its script loaded and evaluated. */
  private async ping(worker: RunPort): Promise<void> {
    await this.exchange(worker, await this.module('hello'), { program: 'hello', args: [], stdout: 'discard' }, performance.now());
  }

  private exchange(worker: RunPort, module: WebAssembly.Module, job: Job, started: number): Promise<Outcome> {
    const chunks: Uint8Array[] = [];
    let stdoutBytes = 0;
    return new Promise((resolve, reject) => {
      worker.listen((data: WorkerReply) => {
        if (data.type === 'out') {
          chunks.push(data.bytes);
          stdoutBytes += data.bytes.length;
        } else if (data.type === 'error') {
          reject(new Error(`${this.name}: ${data.message}`));
        } else {
          // Captured output ends as text, as it does in our report.
          if (chunks.length > 0) new TextDecoder().decode(concat(chunks, stdoutBytes));
          const wallMs = performance.now() - started;
          try {
            expectOk(this.name, job, data.exitCode);
            resolve({ exitCode: data.exitCode, wallMs, runMs: data.runMs, stdoutBytes });
          } catch (e) {
            reject(e);
          }
        }
      });
      const message: RunMessage = { module, args: [job.program, ...job.args], capture: job.stdout === 'capture' };
      worker.post(message);
    });
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}
