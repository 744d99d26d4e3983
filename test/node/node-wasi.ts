// The reference side of the differential test: runs a WASI preview1 command under Node's own
// `node:wasi`, with stdio on temp files (node:wasi takes descriptors, not streams), and returns
// what it printed. In-process: the test runs with --no-turbo-fast-api-calls, which keeps several
// WASI instances in one process from crashing V8.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';

export interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface NodeWasiRun {
  program: Uint8Array<ArrayBuffer>;
  args: string[];
  env?: Record<string, string>;
  stdin?: string | Uint8Array;
  /** Preopened as guest → host directory. */
  preopens?: Record<string, string>;
}

// Decoded as the Report decodes output (WHATWG UTF-8, replacing invalid bytes).
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

export async function runNodeWasi(run: NodeWasiRun): Promise<Outcome> {
  const io = mkdtempSync(join(tmpdir(), 'zerovm-nodewasi-'));
  writeFileSync(join(io, 'stdin'), run.stdin ?? '');
  const fds = [openSync(join(io, 'stdin'), 'r'), openSync(join(io, 'stdout'), 'w'), openSync(join(io, 'stderr'), 'w')];
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: run.args,
      env: run.env ?? {},
      preopens: run.preopens ?? {},
      returnOnExit: true,
      stdin: fds[0],
      stdout: fds[1],
      stderr: fds[2],
    });
    const { instance } = await WebAssembly.instantiate(run.program, wasi.getImportObject() as WebAssembly.Imports);
    const exitCode = wasi.start(instance);
    return { exitCode, stdout: decode(readFileSync(join(io, 'stdout'))), stderr: decode(readFileSync(join(io, 'stderr'))) };
  } finally {
    fds.forEach(closeSync);
    rmSync(io, { recursive: true, force: true });
  }
}
