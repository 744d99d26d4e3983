// What the suite asks of every runtime it compares: run a guest, warm or cold, and say how long it took.
import type { Mount } from '../../../src/contract/manifest.js';
import type { VolumeReport } from '../../../src/contract/report.js';
import type { ProgramName } from '../programs.js';

export interface Job {
  program: ProgramName;
  /** argv after argv[0]. */
  args: string[];
  /** 'capture': stdout delivered to the page; 'discard': dropped where the guest runs. */
  stdout: 'capture' | 'discard';
  /** Hash stdout into an etag (our runtime only; peers have no etags). Default on. */
  etag?: boolean;
  /** Mounts: persistent volumes, tar images, empty directories (our runtime only: no other is given a job with mounts). */
  mounts?: Mount[];
}

export interface Outcome {
  exitCode: number | null;
  /** From the page's call to the result in hand. */
  wallMs: number;
  /** The guest's own run (_start), where the runtime can tell; else null. */
  runMs: number | null;
  /** Stdout bytes that reached the page. */
  stdoutBytes: number;
  /** What became of each mounted volume's changes, by name (our runtime only). */
  volumes?: Record<string, VolumeReport>;
}

/** A runtime's persistent volumes, outside any run. */
export interface VolumeAccess {
  /** Where they live, for the notes: "IndexedDB", "a directory per volume under /tmp/…". */
  readonly where: string;
  /** Makes (or replaces) a volume's contents from a tar archive, as one commit. */
  import(name: string, tar: Uint8Array): Promise<void>;
  delete(name: string): Promise<void>;
}

/** A loaded plugin (Extism's host ABI), as the plugin metrics call it. */
export interface BenchPlugin {
  /** Calls the export `name` with `input`; resolves with its output. */
  call(name: string, input: string): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

/** A runtime's plugins: the section's plugin (the same bytes for every runtime) loaded. */
export interface PluginAccess {
  /** What a plugin does between calls when not asked to keep state: 'fresh' (a new instance per call) or 'kept' (it has no other mode). */
  readonly between: 'fresh' | 'kept';
  /** Loads the plugin; keepState: one instance kept between calls (memory and vars persist). */
  load(options: { keepState: boolean }): Promise<BenchPlugin>;
}

export interface BenchRuntime {
  readonly name: string;
  /** VMs in flight at once when churning (the pool's size, or what the runtime allows). */
  readonly slots: number;
  /** Caveats printed beside its figures. */
  readonly notes: string[];
  /** Scale for the syscall count where a runtime is too slow for a million calls in time. */
  readonly syscallScale?: number;
  /** Warm state: workers started, programs fetched and compiled. */
  setup(): Promise<void>;
  run(job: Job): Promise<Outcome>;
  /** A run as the first on a fresh page: new host and workers, a module never compiled before. */
  cold(job: Job): Promise<Outcome>;
  /**
   * A fresh host's first run, `upMs` after the host was made (its workers have booted by then): a
   * module never compiled before, timed from the call. Absent where a runtime keeps no workers.
   */
  firstRun?(job: Job, upMs: number): Promise<Outcome>;
  /** Runs a program that never ends under a wall-clock limit of `ms`; resolves with the wall ms to its end. Absent where a runtime has no limits. */
  timedOut?(ms: number): Promise<number>;
  /**
   * One run of echobyte on a live stdin, fed a byte only once the page has seen the echo of the
   * one before: resolves with `samples` figures in ms, each a round trip (byte handed over → echo
   * seen), or the mean of `batch` consecutive ones where the clock is too coarse for one.
   * Absent where a runtime has no live channels.
   */
  roundTrips?(samples: number, batch?: number): Promise<number[]>;
  /** Persistent volumes (jobs may mount them). Absent where a runtime has none. */
  readonly volumes?: VolumeAccess;
  /** Plugins (Extism's host ABI). Absent where a runtime has none. */
  readonly plugins?: PluginAccess;
  /**
   * The same runtime on a new host, set up (programs compiled) and every worker of its pool warmed
   * with a run of `warmUp` (which mounts nothing): the next run with a tar image on it is the
   * image's first. Absent where a runtime has no tar images. The caller disposes of it.
   */
  fresh?(warmUp: Job): Promise<BenchRuntime>;
  dispose(): void;
}

/** Fails loudly: a benchmark of a run that went wrong measures nothing. */
export function expectOk(runtime: string, job: Job, exitCode: number | null, detail = ''): void {
  if (exitCode !== 0) throw new Error(`${runtime}: ${job.program} ${job.args.join(' ')} exited ${exitCode} ${detail}`.trim());
}
