// Our runtime, through its public API, as a page uses it.
import { type Manifest, ZeroVM } from '../../../src/index.js';
import { freshCopy, PROGRAMS, programBytes, programUrl } from '../programs.js';
import { type BenchRuntime, expectOk, type Job, type Outcome } from './runtime.js';

/** Enough to capture the largest benchmark output (256 MiB) whole. */
const CAPTURE_ALL = 512 * 1024 * 1024;

export class ZeroVmRuntime implements BenchRuntime {
  readonly name = 'zerovm';
  readonly notes: string[] = [];
  private vm = new ZeroVM();

  get slots(): number {
    return this.vm.poolSize;
  }

  async setup(): Promise<void> {
    await Promise.all(PROGRAMS.map((p) => this.vm.preload(programUrl(p))));
    // One run with a short timeout: a runtime that cannot run hello is reported as such at once,
    // rather than each measurement waiting for its own timeout.
    await this.runOn(this.vm, programUrl('hello'), { program: 'hello', args: [], stdout: 'capture' }, 10_000);
  }

  run(job: Job): Promise<Outcome> {
    return this.runOn(this.vm, programUrl(job.program), job);
  }

  async cold(job: Job): Promise<Outcome> {
    const bytes = freshCopy(await programBytes(job.program));
    const started = performance.now();
    const vm = new ZeroVM();
    try {
      const outcome = await this.runOn(vm, bytes, job);
      return { ...outcome, wallMs: performance.now() - started };
    } finally {
      vm.dispose();
    }
  }

  async timedOut(ms: number): Promise<number> {
    const started = performance.now();
    const report = await this.vm.run({ program: programUrl('spin'), limits: { timeout: ms } });
    const wallMs = performance.now() - started;
    if (report.status !== 'timeout') throw new Error(`spin ended ${report.status}, not timeout: ${report.message}`);
    return wallMs;
  }

  dispose(): void {
    this.vm.dispose();
  }

  private async runOn(vm: ZeroVM, program: Manifest['program'], job: Job, timeout = 120_000): Promise<Outcome> {
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
