// ZeroVM's host side, the same on the page and in Node: validate, load, take a worker, run,
// stream, enforce the timeout, and end every run in a Report. Platforms supply workers and bytes.
import type { FsEntry } from '../contract/fs-image.js';
import type { Manifest, Mount, ProgramSource } from '../contract/manifest.js';
import type { VmResult } from '../contract/protocol.js';
import type { Report } from '../contract/report.js';
import { type ChunkListener, OutputCapture, STDERR, STDOUT } from './capture.js';
import { limitsOf } from './defaults.js';
import { Pool, type WorkerSpawner } from './pool.js';
import type { ModulePolicy } from './module-policy.js';
import { type ProgramFetcher, ProgramCache } from './program.js';
import { Refusal } from './refusal.js';
import { finishedReport, invalidReport, stoppedReport } from './report.js';
import { buildRequest } from './request.js';
import { checkManifest } from './validate.js';

export interface Platform {
  spawn: WorkerSpawner;
  fetch: ProgramFetcher;
  /** Reads host directories for `mounts` (Node only); absent where there is no host filesystem. */
  readMount?: (mount: Mount) => Promise<FsEntry[]>;
  /** Workers in a pool when the caller does not say. */
  defaultPoolSize: number;
}

export interface RunOptions {
  onStdout?: ChunkListener;
  onStderr?: ChunkListener;
  /** Ends this run alone, wherever it is (queued, compiling, running): its report says `killed`. */
  signal?: AbortSignal;
  /**
   * Every byte of output reaches onStdout/onStderr (the CLI passes a program's output through
   * whole); limits.output then caps only what the report keeps. Off by default, so that a flood
   * never reaches the page past limits.output.
   */
  passthrough?: boolean;
}

export interface ZeroVMOptions {
  /** Workers kept warm; also the most VMs running at once. */
  pool?: number;
  /**
   * Where the VM worker script is (the package's `vm-worker.js`), for pages served from a CDN or
   * under a strict CSP; by default it is found next to the module that starts it.
   */
  workerUrl?: string | URL;
  /** Listeners for every run of this ZeroVM (besides each run's own). */
  onStdout?: ChunkListener;
  onStderr?: ChunkListener;
}

type Ending = { status: 'killed' | 'timeout'; message: string };

/** One run in flight, so that kill(), its signal or its timeout can reach it wherever it is. */
class Flight {
  readonly ended: Promise<Ending>;
  private settle!: (ending: Ending) => void;
  private ending: Ending | null = null;
  private unhook = () => {};

  constructor(signal: AbortSignal | undefined) {
    this.ended = new Promise((resolve) => (this.settle = resolve));
    if (!signal) return;
    const abort = () => this.end({ status: 'killed', message: `killed by its signal${reasonOf(signal.reason)}` });
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    this.unhook = () => signal.removeEventListener('abort', abort);
  }

  end(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.settle(ending);
  }

  stopped(): Ending | null {
    return this.ending;
  }

  /** The run is over: its signal no longer matters (a long-lived signal must not hold it). */
  land(): void {
    this.unhook();
  }
}

function reasonOf(reason: unknown): string {
  if (reason instanceof Error) return reason.name === 'AbortError' ? '' : `: ${reason.message}`;
  return typeof reason === 'string' && reason !== '' ? `: ${reason}` : '';
}

export class VmHost {
  private pool: Pool;
  private programs: ProgramCache;
  private flights = new Set<Flight>();

  constructor(
    private options: ZeroVMOptions,
    private platform: Platform,
  ) {
    this.pool = new Pool(options.pool ?? platform.defaultPoolSize, () => platform.spawn(options.workerUrl));
    this.programs = new ProgramCache(platform.fetch);
  }

  /** Workers this host keeps warm: the most VMs running at once. */
  get poolSize(): number {
    return this.pool.size;
  }

  /** Workers alive in this VM host's pool (idle or busy). */
  get workers(): number {
    return this.pool.workers;
  }

  /** Fetches and compiles a program ahead of its first run. */
  async preload(program: ProgramSource): Promise<void> {
    await this.programs.load(program, policyOf({ program }));
  }

  async run(manifest: Manifest, options: RunOptions = {}): Promise<Report> {
    const problem = checkManifest(manifest);
    if (problem) return invalidReport(problem);
    const flight = new Flight(options.signal);
    this.flights.add(flight);
    try {
      return await this.fly(manifest, options, flight);
    } catch (e) {
      if (e instanceof Refusal) return invalidReport(e.message);
      throw e;
    } finally {
      flight.land();
      this.flights.delete(flight);
    }
  }

  /** Ends every VM of this host at once, queued or running; their runs resolve with status `killed`. */
  kill(): void {
    for (const flight of this.flights) flight.end({ status: 'killed', message: 'killed by the host' });
  }

  dispose(): void {
    this.kill();
    this.pool.dispose();
  }

  private async fly(manifest: Manifest, options: RunOptions, flight: Flight): Promise<Report> {
    const limits = limitsOf(manifest.limits);
    const listeners = (own: ChunkListener | undefined, all: ChunkListener | undefined) => [all, own].filter((f) => f !== undefined);
    const output = new OutputCapture(limits.output, new Map([
      [STDOUT, listeners(options.onStdout, this.options.onStdout)],
      [STDERR, listeners(options.onStderr, this.options.onStderr)],
    ]));
    let compileMs = 0;
    const stopped = (ending: Ending, stats: Float64Array | null, runMs = 0) =>
      stoppedReport(ending.status, ending.message, { output, stats, compileMs, runMs, keep: limits.output });

    // Fetching and compiling can take long: a kill, a signal or dispose() ends the wait for them.
    const loading = Promise.all([this.programs.load(manifest.program, policyOf(manifest)), this.readMounts(manifest)]);
    const loaded = await Promise.race([loading, flight.ended]);
    if (isEnding(loaded)) {
      loading.catch(() => undefined); // what it fails with no longer matters
      return stopped(loaded, null);
    }
    const [program, mounted] = loaded;
    compileMs = program.compileMs;
    const request = buildRequest(manifest, limits, program, mounted, options.passthrough ? Infinity : limits.output);

    const worker = await this.pool.acquire(flight.ended);
    const early = flight.stopped() ?? (worker ? null : { status: 'killed' as const, message: 'killed by the host' });
    if (early || !worker) {
      if (worker) this.pool.release(worker); // given a worker just as it was killed
      return stopped(early!, null);
    }

    const { link } = worker;
    link.reset();
    link.onOutput = (chunks) => output.push(chunks);
    // The timeout is the VM's time: a worker still booting (a fresh one after a kill) does not count.
    let booted: unknown;
    try {
      booted = await Promise.race([worker.up, flight.ended]);
    } catch (e) {
      link.onOutput = null;
      this.pool.replace(worker); // not the guest's doing: the run rejects, saying why
      throw e;
    }
    if (isEnding(booted)) {
      link.onOutput = null;
      this.pool.replace(worker);
      return stopped(booted, null);
    }
    const started = performance.now();
    const timer = setTimeout(
      () => flight.end({ status: 'timeout', message: `timed out after ${limits.timeout} ms` }),
      limits.timeout,
    );
    try {
      const result: VmResult | Ending = await Promise.race([worker.run(request), flight.ended]);
      if (!isEnding(result)) {
        link.drain(); // what the guest put in the shared ring last
        output.push(result.tail);
        this.pool.release(worker);
        return finishedReport(result, output, compileMs, limits.output);
      }
      // The worker is ended at once; what it wrote up to now is still in reach.
      this.pool.replace(worker);
      link.drain();
      return stopped(result, link.stats, performance.now() - started);
    } catch (e) {
      // The worker itself failed (not the guest): it cannot be trusted with another run.
      this.pool.replace(worker);
      throw e;
    } finally {
      clearTimeout(timer);
      link.onOutput = null;
    }
  }

  private async readMounts(manifest: Manifest): Promise<FsEntry[]> {
    const mounts = (manifest.mounts ?? []).filter((m) => m.host !== undefined);
    if (mounts.length === 0) return [];
    const { readMount } = this.platform;
    if (!readMount) throw new Refusal('manifest.mounts: host directories can only be mounted from Node (the CLI)');
    return (await Promise.all(mounts.map(readMount))).flat();
  }
}

function policyOf(manifest: Manifest): ModulePolicy {
  if (manifest.program instanceof WebAssembly.Module && manifest.limits?.memory !== undefined) {
    throw new Refusal('manifest.limits.memory: a compiled WebAssembly.Module cannot be limited; pass the program as bytes or a URL');
  }
  return {
    memory: limitsOf(manifest.limits).memory,
    deterministic: !manifest.determinism?.realtime,
  };
}

/** Whether a race against `flight.ended` was won by the ending (an Ending is the only such object). */
function isEnding(x: unknown): x is Ending {
  return x instanceof Object && !Array.isArray(x) && ((x as Ending).status === 'killed' || (x as Ending).status === 'timeout');
}
