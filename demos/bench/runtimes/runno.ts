// @runno/wasi through its WASIWorkerHost: its own worker per run (it has no pool), fed a URL it
// fetches and compiles in the worker. It needs SharedArrayBuffer (a cross-origin-isolated page).
import { WASIWorkerHost } from '@runno/wasi';
import { freshCopy, programBytes, programUrl } from '../programs.js';
import { type BenchRuntime, expectOk, type Job, type Outcome } from './runtime.js';

export class RunnoRuntime implements BenchRuntime {
  readonly name = '@runno/wasi';
  readonly notes = [
    'WASIWorkerHost starts a new worker and fetches + compiles the program on every run (no pool, no module cache)',
    'posts a message per stdout write (decoded to text) and a debug message per syscall',
  ];
  // Two messages per call: a million calls would take minutes and gigabytes of queued messages.
  readonly syscallScale = 0.1;

  constructor(readonly slots: number) {}

  async setup(): Promise<void> {
    if (!crossOriginIsolated) throw new Error('@runno/wasi needs a cross-origin-isolated page (SharedArrayBuffer)');
    await this.run({ program: 'hello', args: [], stdout: 'discard' });
  }

  run(job: Job): Promise<Outcome> {
    return this.runUrl(programUrl(job.program), job);
  }

  async cold(job: Job): Promise<Outcome> {
    const url = URL.createObjectURL(new Blob([freshCopy(await programBytes(job.program))], { type: 'application/wasm' }));
    try {
      return await this.runUrl(url, job);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  dispose(): void {}

  private async runUrl(url: string, job: Job): Promise<Outcome> {
    const texts: string[] = [];
    let stdoutBytes = 0;
    const capture = job.stdout === 'capture';
    const host = new WASIWorkerHost(url, {
      args: [job.program, ...job.args],
      env: {},
      fs: {},
      stdout: (text: string) => {
        stdoutBytes += text.length; // the guests write ASCII: one byte a character
        if (capture) texts.push(text);
      },
      stderr: () => {},
    });
    const started = performance.now();
    const result = await host.start();
    const wallMs = performance.now() - started;
    expectOk(this.name, job, result.exitCode);
    return { exitCode: result.exitCode, wallMs, runMs: null, stdoutBytes };
  }
}
