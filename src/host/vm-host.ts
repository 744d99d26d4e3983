// ZeroVM's host side, the same on the page and in Node: validate, load, take a worker, run,
// stream, enforce the timeout, and end every run in a Report. Platforms supply workers and bytes.
import type { FsEntry } from '../contract/fs-image.js';
import type { Manifest, Mount, ProgramSource } from '../contract/manifest.js';
import type { VmResult } from '../contract/protocol.js';
import type { Report } from '../contract/report.js';
import { type ChunkListener, OutputCapture } from './capture.js';
import { limitsOf } from './defaults.js';
import { Pool, type PoolWorker, type WorkerSpawner } from './pool.js';
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
}

export interface ZeroVMOptions extends RunOptions {
  /** Workers kept warm; also the most VMs running at once. */
  pool?: number;
}

type Ending = { status: 'killed' | 'timeout'; message: string };

/** One run in flight, so that kill() can reach it wherever it is. */
class Flight {
  ended: Promise<Ending>;
  end!: (ending: Ending) => void;
  private ending: Ending | null = null;
  constructor() {
    this.ended = new Promise((resolve) => {
      this.end = (ending) => {
        this.ending ??= ending;
        resolve(this.ending);
      };
    });
  }
  stopped(): Ending | null {
    return this.ending;
  }
}

export class VmHost {
  private pool: Pool;
  private programs: ProgramCache;
  private flights = new Set<Flight>();

  constructor(
    private options: ZeroVMOptions,
    private platform: Platform,
  ) {
    this.pool = new Pool(options.pool ?? platform.defaultPoolSize, platform.spawn);
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
    const flight = new Flight();
    this.flights.add(flight);
    try {
      return await this.fly(manifest, options, flight);
    } catch (e) {
      if (e instanceof Refusal) return invalidReport(e.message);
      throw e;
    } finally {
      this.flights.delete(flight);
    }
  }

  /** Ends every VM of this host at once; their runs resolve with status `killed`. */
  kill(): void {
    for (const flight of this.flights) flight.end({ status: 'killed', message: 'killed by the host' });
  }

  dispose(): void {
    this.kill();
    this.pool.dispose();
  }

  private async fly(manifest: Manifest, options: RunOptions, flight: Flight): Promise<Report> {
    const [program, mounted] = await Promise.all([
      this.programs.load(manifest.program, policyOf(manifest)),
      this.readMounts(manifest),
    ]);
    const limits = limitsOf(manifest.limits);
    const request = buildRequest(manifest, limits, program, mounted);
    const output = new OutputCapture(limits.output, [
      [this.options.onStdout, options.onStdout].filter((f) => f !== undefined),
      [this.options.onStderr, options.onStderr].filter((f) => f !== undefined),
    ]);
    const early = flight.stopped();
    if (early) return stoppedReport(early.status, early.message, output, program.compileMs, 0);

    const worker = await Promise.race([this.pool.acquire(), flight.ended]);
    if (!isWorker(worker)) return stoppedReport(worker.status, worker.message, output, program.compileMs, 0);
    const late = flight.stopped(); // killed while the worker was on its way
    if (late) {
      this.pool.release(worker);
      return stoppedReport(late.status, late.message, output, program.compileMs, 0);
    }

    worker.onOutput = (chunks) => output.push(chunks);
    const started = performance.now();
    const timer = setTimeout(
      () => flight.end({ status: 'timeout', message: `timed out after ${limits.timeout} ms` }),
      limits.timeout,
    );
    try {
      const result: VmResult | Ending = await Promise.race([worker.run(request), flight.ended]);
      if (!isEnding(result)) {
        output.push(result.tail);
        this.pool.release(worker);
        return finishedReport(result, output, program.compileMs);
      }
      this.pool.replace(worker);
      return stoppedReport(result.status, result.message, output, program.compileMs, performance.now() - started);
    } catch (e) {
      // The worker itself failed (not the guest): it cannot be trusted with another run.
      this.pool.replace(worker);
      throw e;
    } finally {
      clearTimeout(timer);
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

function isWorker(x: PoolWorker | Ending): x is PoolWorker {
  return 'service' in x;
}

function isEnding(x: VmResult | Ending): x is Ending {
  return x.status === 'killed' || x.status === 'timeout';
}
