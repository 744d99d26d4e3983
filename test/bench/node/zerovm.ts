// Our runtime in Node: NodeZeroVM (the same host and worker code, on worker_threads), loaded
// from its bundle (see bundle.ts).
import type { Manifest } from '../../../src/contract/manifest.js';
import type { NodeZeroVM } from '../../../src/cli/node-host.js';
import { freshCopy } from '../../../demos/bench/fresh-copy.js';
import { PROGRAMS } from '../../../demos/bench/programs.js';
import { type BenchRuntime, expectOk, type Job, type Outcome } from '../../../demos/bench/runtimes/runtime.js';
import { programBytes, programPath } from './programs.js';

const CAPTURE_ALL = 512 * 1024 * 1024;

export class NodeZeroVmRuntime implements BenchRuntime {
  readonly name = 'zerovm';
  readonly notes: string[] = [];
  private vm: NodeZeroVM;

  constructor(private Host: typeof NodeZeroVM) {
    this.vm = new Host();
  }

  get slots(): number {
    return this.vm.poolSize;
  }

  async setup(): Promise<void> {
    await Promise.all(PROGRAMS.map((p) => this.vm.preload(programPath(p))));
    // One run with a short timeout: a runtime that cannot run hello is reported as such at once,
    // rather than each measurement waiting for its own timeout.
    await this.runOn(this.vm, programPath('hello'), { program: 'hello', args: [], stdout: 'capture' }, 10_000);
  }

  run(job: Job): Promise<Outcome> {
    return this.runOn(this.vm, programPath(job.program), job);
  }

  async cold(job: Job): Promise<Outcome> {
    const bytes = freshCopy(await programBytes(job.program));
    const started = performance.now();
    const vm = new this.Host();
    try {
      return { ...(await this.runOn(vm, bytes, job)), wallMs: performance.now() - started };
    } finally {
      vm.dispose();
    }
  }

  async timedOut(ms: number): Promise<number> {
    const started = performance.now();
    const report = await this.vm.run({ program: programPath('spin'), limits: { timeout: ms } });
    const wallMs = performance.now() - started;
    if (report.status !== 'timeout') throw new Error(`spin ended ${report.status}, not timeout: ${report.message}`);
    return wallMs;
  }

  dispose(): void {
    this.vm.dispose();
  }

  private async runOn(vm: NodeZeroVM, program: Manifest['program'], job: Job, timeout = 120_000): Promise<Outcome> {
    const manifest: Manifest = {
      program,
      args: [job.program, ...job.args],
      limits: { output: job.stdout === 'capture' ? CAPTURE_ALL : 0, timeout },
    };
    if (job.etag === false) manifest.channels = [{ path: '/dev/stdout', etag: false }];
    let stdoutBytes = 0;
    const started = performance.now();
    const report = await vm.run(manifest, { onStdout: (chunk) => (stdoutBytes += chunk.length) });
    const wallMs = performance.now() - started;
    expectOk(this.name, job, report.exitCode, `${report.status} ${report.message}`);
    return { exitCode: report.exitCode, wallMs, runMs: report.timings.runMs, stdoutBytes };
  }
}
