// ZeroVM's host side, the same on the page and in Node: validate, load, take a worker, run,
// stream, enforce the timeout, and end every run in a Report. Platforms supply workers and bytes.
import type { FsEntry, VolumeEntry } from '../contract/fs-image.js';
import type { Manifest, Mount, ProgramSource } from '../contract/manifest.js';
import { channelTable, STDERR, STDOUT } from '../contract/channels.js';
import { LOADER_CHANNEL } from '../contract/link.js';
import type { VmResult } from '../contract/protocol.js';
import type { InputsRecord, Report } from '../contract/report.js';
import { type ChunkListener, OutputCapture } from './capture.js';
import { limitsOf } from './defaults.js';
import { Pool, type WorkerSpawner } from './pool.js';
import { policyOf } from './module-policy.js';
import { type ProgramFetcher, ProgramCache, type ProgressListener } from './program.js';
import type { ModuleStore } from './module-store.js';
import { Refusal } from './refusal.js';
import { type Ending, Flight, isEnding } from './flight.js';
import { Deadlines } from './deadlines.js';
import type { LiveEnd, LiveSource } from './live.js';
import { LiveSession } from './live.js';
import { ImageCache } from './images.js';
import { planChannels, waitingMode } from './plan.js';
import type { Volumes } from './volumes/api.js';
import { lazyVolumes, openVolumes } from './volumes/lazy.js';
import type { VolumeStore } from './volumes/store.js';
import { replayEvents } from './replay.js';
import { finishedReport, type HostSide, invalidReport, stoppedReport } from './report.js';
import { buildRequest } from './request.js';
import { checkManifest } from './validate.js';
import type { PluginManifest } from '../contract/plugin.js';
import { type PluginFlight, planPlugin } from './plugin-flight.js';
import type { Plugin, PluginOptions } from './plugin.js';

export interface Platform {
  spawn: WorkerSpawner;
  fetch: ProgramFetcher;
  /** Reads host directories for `mounts` (Node only); absent where there is no host filesystem. */
  readMount?: (mount: Mount) => Promise<FsEntry[]>;
  /** Where volumes live (IndexedDB on the page, a directory in Node); absent where there is none. */
  volumes?: () => VolumeStore;
  /** Where big compiled programs outlive the page (the Cache API), if anywhere. */
  modules?: () => ModuleStore | null;
  /** Workers in a pool when the caller does not say. */
  defaultPoolSize: number;
}

export interface RunOptions {
  onStdout?: ChunkListener;
  onStderr?: ChunkListener;
  /** /dev/stdin's live source, when the manifest declares it `source: 'live'` (the same as channels['/dev/stdin']). */
  stdin?: LiveSource;
  /**
   * The live ends of the manifest's live channels, by path: a source (ReadableStream or async
   * iterable) for a live input, a sink (WritableStream or function) for a live output, a page
   * function for a call channel. A live channel left unbound refuses the run, naming it.
   */
  channels?: Record<string, LiveEnd>;
  /** How far the program's fetch and compile are (a big program's first run): for a progress bar. */
  onProgress?: ProgressListener;
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

export class VmHost {
  private pool: Pool;
  private programs: ProgramCache;
  private images: ImageCache;
  private flights = new Set<Flight>();
  private deadlines = new Deadlines();
  private store: VolumeStore | undefined;

  constructor(
    private options: ZeroVMOptions,
    private platform: Platform,
  ) {
    this.pool = new Pool(options.pool ?? platform.defaultPoolSize, () => platform.spawn(options.workerUrl));
    this.programs = new ProgramCache(platform.fetch, platform.modules?.() ?? null);
    this.images = new ImageCache(platform.fetch);
  }

  /** Workers this host keeps warm: the most VMs running at once. */
  get poolSize(): number {
    return this.pool.size;
  }

  /** Workers alive in this VM host's pool (idle or busy). */
  get workers(): number {
    return this.pool.workers;
  }

  /** Fetches and compiles a program ahead of its first run; `onProgress` hears how far along it is. */
  async preload(program: ProgramSource, options: { onProgress?: ProgressListener } = {}): Promise<void> {
    await this.programs.load(program, policyOf({ program }), options.onProgress);
  }

  async run(manifest: Manifest, options: RunOptions = {}): Promise<Report> {
    return this.launch(manifest, options);
  }

  /**
   * Runs a recorded run again, exactly: the manifest it ran and the report it ended in (with its
   * `inputs`). Every answer that depended on timing comes from the record, so no live end is
   * bound, nothing waits, and the output, the channel etags and the run etag come out the same.
   * A run that read more live input than its limits.output kept cannot be replayed (refused).
   */
  async replay(manifest: Manifest, report: Report, options: Omit<RunOptions, 'stdin' | 'channels'> = {}): Promise<Report> {
    if (!report.inputs) {
      return invalidReport('report.inputs: the report has no record of live input (only runs with a live or call channel that ended in their worker have one)');
    }
    if (!report.inputs.complete) return invalidReport('report.inputs: the record is incomplete (more live input was read than limits.output keeps): this run cannot be replayed');
    return this.launch(manifest, options, report.inputs);
  }

  /** Ends every VM of this host at once, queued or running; their runs resolve with status `killed`. */
  kill(): void {
    for (const flight of this.flights) flight.end({ status: 'killed', message: 'killed by the host' });
  }

  dispose(): void {
    this.kill();
    this.pool.dispose();
    for (const plugin of this.plugins) plugin.dispose(); // each has a pool of its own
  }

  /** Plugins loaded on this host and not disposed: they end with it. */
  private plugins = new Set<Plugin>();

  /**
   * Loads a plugin: a module whose exported functions are called with bytes (Extism's host ABI),
   * each call a VM of its own on the plugin's own workers. Rejects, naming the field, when the
   * manifest or options are wrong or a host function the plugin imports is not granted.
   */
  async plugin(manifest: PluginManifest, options: PluginOptions = {}): Promise<Plugin> {
    // The plugin host's code is loaded with the first plugin: a page that runs programs never loads it.
    const { Plugin } = await import('./plugin.js');
    const plugin = await Plugin.load(
      {
        module: async (m) => (await this.programs.load(m.program, policyOf(m))).module,
        pool: (size) => new Pool(size, () => this.platform.spawn(this.options.workerUrl), true),
        run: (m, call, o, replay) => this.launch(m, o, replay, call),
        fetch: (input, init) => fetch(input, init),
        released: (p) => this.plugins.delete(p),
      },
      manifest,
      options,
    );
    this.plugins.add(plugin);
    return plugin;
  }

  private async launch(manifest: Manifest, options: RunOptions, replay?: InputsRecord, call?: PluginFlight): Promise<Report> {
    const problem = checkManifest(manifest);
    if (problem) return invalidReport(problem);
    // A run whose commit conflicted is made again on the new snapshot, as its mounts allow.
    const retries = Math.max(0, ...(manifest.mounts ?? []).map((m) => m.retry ?? 0));
    for (let attempt = 0; ; attempt++) {
      const report = await this.once(manifest, options, replay, call);
      const conflicted = Object.values(report.volumes ?? {}).some((v) => v.outcome === 'conflict');
      if (attempt > 0 && report.volumes) for (const v of Object.values(report.volumes)) v.retries = attempt;
      if (!conflicted || attempt >= retries) return report;
      // Runs racing for one volume would race again at once: a random, growing pause spreads them.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 2 ** attempt)));
    }
  }

  private async once(manifest: Manifest, options: RunOptions, replay?: InputsRecord, call?: PluginFlight): Promise<Report> {
    const flight = new Flight(options.signal);
    this.flights.add(flight);
    try {
      return await this.fly(manifest, options, flight, replay, call);
    } catch (e) {
      if (e instanceof Refusal) return invalidReport(e.message);
      throw e;
    } finally {
      flight.land();
      this.flights.delete(flight);
    }
  }

  /** The volume storage of this host, made when first needed. */
  get volumeStore(): VolumeStore | undefined {
    return (this.store ??= this.platform.volumes?.());
  }

  /** The volumes this host can mount: list, read, write, history, restore, export, import, delete. */
  get volumes(): Volumes {
    return lazyVolumes(() => this.volumeStore);
  }

  private async fly(manifest: Manifest, options: RunOptions, flight: Flight, replay: InputsRecord | undefined, call?: PluginFlight): Promise<Report> {
    const pool = call?.pool ?? this.pool;
    const limits = limitsOf(manifest.limits);
    const listeners = (own: ChunkListener | undefined, all: ChunkListener | undefined) => [all, own].filter((f) => f !== undefined);
    const output = new OutputCapture(limits.output, new Map([
      [STDOUT, listeners(options.onStdout, this.options.onStdout)],
      [STDERR, listeners(options.onStderr, this.options.onStderr)],
    ]));
    const host: HostSide = { table: channelTable(manifest.channels), output, errors: new Map(), compileMs: 0, keep: limits.output };
    const stopped = (ending: Ending, stats: Float64Array | null, runMs = 0) => stoppedReport(ending.status, ending.message, host, stats, runMs);

    // Fetching, compiling, and fetching channel sources can take long: a kill, a signal or dispose() ends the wait.
    // (Mounts are rare: a run without them makes none of their promises.)
    const mounts = manifest.mounts;
    const loading = Promise.all([
      this.programs.load(manifest.program, policyOf(manifest), options.onProgress),
      mounts ? this.readMounts(manifest) : NO_ENTRIES,
      planChannels(host.table, manifest, options, (url) => this.platform.fetch(url), replay !== undefined),
      mounts ? openVolumes(mounts, () => this.volumeStore, limits.volumeBytes, replay === undefined && waitingMode() !== null) : null,
      mounts ? this.images.load(manifest) : NO_IMAGES,
    ]);
    const loaded = await Promise.race([loading, flight.ended]);
    if (isEnding(loaded)) {
      loading.catch(() => undefined); // what it fails with no longer matters
      return stopped(loaded, null);
    }
    const [program, mounted, plan, volumes, images] = loaded;
    const plugin = call ? planPlugin(call, plan, replay !== undefined) : undefined;
    // Volume files that come on first open: the guest must be able to wait for them.
    if (volumes?.awaits && plan.mode === 'plain') plan.mode = waitingMode()!;
    // What becomes of the volumes' changes, by how the run ended (nothing is kept but on an exit).
    const settle = async (report: Report, collected?: VolumeEntry[][]): Promise<Report> => {
      if (volumes) report.volumes = await volumes.finish(report, collected);
      return report;
    };
    host.compileMs = program.compileMs;
    host.moduleFrom = program.from;
    const request = buildRequest(manifest, {
      volumes,
      limits,
      program,
      mounted,
      plan,
      stream: options.passthrough ? Infinity : limits.output,
      images,
      ...(replay ? { replay: replayEvents(replay, plan.table) } : {}),
    });
    if (plugin) request.plugin = plugin;

    const worker = await pool.acquire(flight.ended);
    const early = flight.stopped() ?? (worker ? null : { status: 'killed' as const, message: 'killed by the host' });
    if (early || !worker) {
      if (worker) pool.release(worker); // given a worker just as it was killed
      return settle(stopped(early!, null));
    }

    const { link } = worker;
    link.reset(request.run);
    const session = new LiveSession(plan.table, plan.ends, link, output);
    if (volumes?.awaits) session.serve(LOADER_CHANNEL, (request) => volumes.load(request));
    link.onRecords = (records) => session.take(records);
    const done = async (ok: boolean) => {
      link.onRecords = null;
      // Live sinks finish taking what the guest wrote (a kill still ends the wait).
      const closed = session.close(ok);
      if (closed) await Promise.race([closed, flight.ended]);
      for (const [i, error] of session.errors) host.errors.set(i, error);
    };
    // Sent at once, even to a worker still booting: it takes the run as soon as it is attached,
    // without a round trip to the page in between (a first run on a fresh page waits less).
    const running = worker.run(request, program.module);
    running.catch(() => undefined); // a run given up on below (its worker ended) never answers; the race still sees a rejection
    // The timeout is the VM's time: a worker still booting (a fresh one after a kill) does not count.
    let booted: unknown;
    try {
      booted = worker.booted || (await Promise.race([worker.up, flight.ended]));
    } catch (e) {
      void done(false);
      pool.replace(worker); // not the guest's doing: the run rejects, saying why
      throw e;
    }
    if (isEnding(booted)) {
      void done(false);
      pool.replace(worker);
      return settle(stopped(booted, null));
    }
    const started = performance.now();
    const timeout = this.deadlines.add(limits.timeout, () => flight.end({ status: 'timeout', message: `timed out after ${limits.timeout} ms` }));
    // Output of the run's first moments comes with its result, in one message; a run that goes on
    // longer has it looked at then, and the worker rings for each write from there on.
    const look = link.look ? this.deadlines.add(FIRST_LOOK_MS, link.look.bind(link)) : null;
    try {
      const result: VmResult | Ending = await Promise.race([running, flight.ended]);
      if (!isEnding(result)) {
        link.drain(); // what the guest put in the shared ring last
        session.take(result.tail);
        pool.release(worker);
        await done(result.status === 'ok');
        if (call && result.plugin) call.outcome = result.plugin;
        return settle(finishedReport(result, host), result.volumes);
      }
      // The worker is ended at once; what it wrote up to now is still in reach.
      pool.replace(worker);
      link.drain();
      void done(false);
      return settle(stopped(result, link.stats, performance.now() - started));
    } catch (e) {
      // The worker itself failed (not the guest): it cannot be trusted with another run.
      void done(false);
      pool.replace(worker);
      throw e;
    } finally {
      this.deadlines.cancel(timeout);
      if (look) this.deadlines.cancel(look);
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

const NO_ENTRIES: FsEntry[] = [];
const NO_IMAGES: Awaited<ReturnType<ImageCache['load']>> = [];

/** How long a run's output may wait for its end before the host looks at it (and the worker rings for the rest). */
const FIRST_LOOK_MS = 5;

