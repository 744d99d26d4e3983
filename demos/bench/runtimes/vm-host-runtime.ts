// Our runtime in the bench, through its public API: any VmHost — ZeroVM on the page, NodeZeroVM
// in Node — with the programs located as that platform locates them.
import type { Manifest } from '../../../src/contract/manifest.js';
import type { VmHost } from '../../../src/host/vm-host.js';
import { freshCopy } from '../fresh-copy.js';
import { type ProgramName, PROGRAMS } from '../programs.js';
import { type BenchRuntime, expectOk, type Job, type Outcome, type PluginAccess, type VolumeAccess } from './runtime.js';

/** Enough to capture the largest benchmark output (256 MiB) whole. */
const CAPTURE_ALL = 512 * 1024 * 1024;

export interface ProgramStore {
  /** A URL or path the host fetches (and caches by). */
  locate(name: ProgramName): string;
  bytes(name: ProgramName): Promise<Uint8Array>;
}

export interface VmHostRuntimeOptions {
  /** Where the host keeps its volumes, for the notes; absent when it has no volume storage. */
  volumes?: string;
  /** Called once disposed (to remove a volumes directory). */
  onDispose?: () => void;
  /** A plugin's bytes, for the plugin metrics: loaded with vm.plugin({ program: bytes }). */
  plugin?: Uint8Array;
}

export class VmHostRuntime implements BenchRuntime {
  readonly name = 'zerovm';
  readonly notes: string[] = [];
  readonly volumes?: VolumeAccess;
  readonly plugins?: PluginAccess;
  private vm: VmHost;

  constructor(
    private makeHost: () => VmHost,
    private programs: ProgramStore,
    private options: VmHostRuntimeOptions = {},
  ) {
    this.vm = makeHost();
    if (options.volumes !== undefined) {
      this.volumes = {
        where: options.volumes,
        import: async (name, tar) => {
          const report = await this.vm.volumes.import(name, tar);
          if (report.outcome !== 'committed') throw new Error(`volume ${name}: the import ended ${report.outcome}: ${report.message ?? ''}`.trim());
        },
        delete: (name) => this.vm.volumes.delete(name),
      };
    }
    const wasm = options.plugin;
    if (wasm) {
      this.plugins = {
        between: 'fresh',
        load: async ({ keepState }) => {
          const plugin = await this.vm.plugin({ program: wasm }, { keepState });
          return {
            call: async (name, input) => (await plugin.call(name, input)).output,
            dispose: async () => plugin.dispose(),
          };
        },
      };
    }
  }

  get slots(): number {
    return this.vm.poolSize;
  }

  async setup(): Promise<void> {
    await Promise.all(PROGRAMS.map((p) => this.vm.preload(this.programs.locate(p))));
    // One run with a short timeout: a runtime that cannot run hello is reported as such at once,
    // rather than each measurement waiting for its own timeout.
    await this.runOn(this.vm, this.programs.locate('hello'), { program: 'hello', args: [], stdout: 'capture' }, 10_000);
  }

  run(job: Job): Promise<Outcome> {
    return this.runOn(this.vm, this.programs.locate(job.program), job);
  }

  cold(job: Job): Promise<Outcome> {
    return this.onFreshHost(job, null);
  }

  firstRun(job: Job, upMs: number): Promise<Outcome> {
    return this.onFreshHost(job, upMs);
  }

  /** A new host's first run, timed from its making (`upMs` null) or `upMs` after it, of a module never compiled before. */
  private async onFreshHost(job: Job, upMs: number | null): Promise<Outcome> {
    const bytes = freshCopy(await this.programs.bytes(job.program));
    let started = performance.now();
    const vm = this.makeHost();
    try {
      if (upMs !== null) {
        await new Promise((resolve) => setTimeout(resolve, upMs));
        started = performance.now();
      }
      return { ...(await this.runOn(vm, bytes, job)), wallMs: performance.now() - started };
    } finally {
      vm.dispose();
    }
  }

  async fresh(warmUp: Job): Promise<BenchRuntime> {
    const rt = new VmHostRuntime(this.makeHost, this.programs, { volumes: this.options.volumes });
    try {
      await rt.setup();
      // The pool starts its other workers once the first is up: a run for each at once warms them all.
      await Promise.all(Array.from({ length: rt.slots }, () => rt.run(warmUp)));
      return rt;
    } catch (e) {
      rt.dispose();
      throw e;
    }
  }

  async timedOut(ms: number): Promise<number> {
    // The last timeout replaced its worker; the limit counts from a worker being up, so wait for
    // one: what is measured is how soon after the limit the report comes, not a worker's boot.
    await this.vm.run({ program: this.programs.locate('hello') });
    const started = performance.now();
    const report = await this.vm.run({ program: this.programs.locate('spin'), limits: { timeout: ms } });
    const wallMs = performance.now() - started;
    if (report.status !== 'timeout') throw new Error(`spin ended ${report.status}, not timeout: ${report.message}`);
    return wallMs;
  }

  async roundTrips(samples: number, batch = 1): Promise<number[]> {
    const n = samples * batch;
    const times: number[] = [];
    let echoes = 0;
    let batchStart = 0;
    let seen = () => {};
    let echoed = Promise.resolve();
    let wrong = '';
    // Pulled only when the guest waits in read(): the next byte is handed over once the echo of
    // the one before has reached the page, so exactly one byte is ever in flight.
    async function* bytes(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < n; i++) {
        await echoed;
        echoed = new Promise<void>((resolve) => (seen = resolve));
        const byte = new Uint8Array([i & 0xff]); // its own buffer: a link may transfer it
        if (i % batch === 0) batchStart = performance.now();
        yield byte;
      }
    }
    const onStdout = (chunk: Uint8Array) => {
      const at = performance.now();
      if (chunk.length !== 1 || chunk[0] !== (echoes & 0xff)) wrong ||= `round trip ${echoes} echoed [${chunk.join(',')}]`;
      if (++echoes % batch === 0) times.push((at - batchStart) / batch);
      seen();
    };
    const report = await this.vm.run(
      {
        program: this.programs.locate('echobyte'),
        args: ['echobyte'],
        channels: [{ path: '/dev/stdin', source: 'live' }],
        limits: { output: n + 65536, timeout: 120_000 },
      },
      { stdin: bytes(), onStdout },
    );
    if (report.status !== 'ok' || report.exitCode !== 0) throw new Error(`echobyte ended ${report.status} (exit ${report.exitCode}): ${report.message}`);
    if (wrong) throw new Error(`echobyte: ${wrong}`);
    if (echoes !== n) throw new Error(`echobyte: ${echoes} echoes for ${n} bytes`);
    return times;
  }

  dispose(): void {
    this.vm.dispose();
    this.options.onDispose?.();
  }

  private async runOn(vm: VmHost, program: Manifest['program'], job: Job, timeout = 120_000): Promise<Outcome> {
    const manifest: Manifest = {
      program,
      args: [job.program, ...job.args],
      limits: { output: job.stdout === 'capture' ? CAPTURE_ALL : 0, timeout },
    };
    if (job.etag === false) manifest.channels = [{ path: '/dev/stdout', etag: false }];
    if (job.mounts) manifest.mounts = job.mounts;
    let stdoutBytes = 0;
    const started = performance.now();
    const report = await vm.run(manifest, { onStdout: (chunk) => (stdoutBytes += chunk.length) });
    const wallMs = performance.now() - started;
    expectOk(this.name, job, report.exitCode, `${report.status} ${report.message}`);
    return { exitCode: report.exitCode, wallMs, runMs: report.timings.runMs, stdoutBytes, ...(report.volumes ? { volumes: report.volumes } : {}) };
  }
}
