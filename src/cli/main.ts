#!/usr/bin/env node
// zerovm: run a WASI program in a disposable VM from the command line.
import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { version } from '../../package.json';
import type { Manifest } from '../contract/manifest.js';
import { programName } from '../contract/program-name.js';
import type { Report } from '../contract/report.js';
import { type CliOptions, HELP, parseCommand, USAGE, UsageError } from './args.js';
import { runInNode } from './node-host.js';

/** Process exit codes for runs that did not end with the guest's own code. */
const EXIT_FOR: Record<Exclude<Report['status'], 'ok'>, number> = { timeout: 124, trap: 134, invalid: 126, killed: 137 };

const PROBLEM: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

/** A file named by a flag cannot be used: the message names the flag and the path, nothing more. */
function fileError(flag: string, path: string, e: NodeJS.ErrnoException, problem = PROBLEM[e.code ?? '']): UsageError {
  return new UsageError(`${flag} ${path}: ${problem ?? e.message}`, '');
}

async function readStdin(): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

async function readManifestFile(file: string): Promise<Partial<Manifest>> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw fileError('--manifest', file, e);
  });
  let base: Partial<Manifest>;
  try {
    base = JSON.parse(text) as Partial<Manifest>;
  } catch (e) {
    throw new UsageError(`--manifest ${file}: not valid JSON: ${(e as Error).message}`, '');
  }
  // a relative program path in a manifest file is relative to that file
  if (typeof base.program === 'string' && !/^[a-z]+:/.test(base.program)) base.program = resolve(dirname(file), base.program);
  return base;
}

/** Host directories are copied in at the start of the run: a missing one is the flag's fault, said now. */
async function checkDirs(options: CliOptions): Promise<void> {
  for (const { host } of options.mounts) {
    const info = await stat(host).catch((e: NodeJS.ErrnoException) => {
      throw fileError('--dir', host, e, e.code === 'ENOENT' ? 'no such directory' : undefined);
    });
    if (!info.isDirectory()) throw new UsageError(`--dir ${host}: not a directory`, '');
  }
}

/**
 * Opened before the run, so that a report path that cannot be written fails at once instead of
 * after a long run, losing its result. Append mode: an existing file is replaced only at the end.
 */
async function openReport(file: string): Promise<FileHandle> {
  return open(file, 'a').catch((e: NodeJS.ErrnoException) => {
    throw fileError('--report', file, e, e.code === 'ENOENT' ? `no such directory ${dirname(file)}` : undefined);
  });
}

async function writeReport(handle: FileHandle, report: Report): Promise<void> {
  if ((await handle.stat()).isFile()) await handle.truncate(0); // not /dev/stdout or a pipe
  await handle.writeFile(JSON.stringify(report, null, 2) + '\n');
}

async function buildManifest(options: CliOptions): Promise<Manifest> {
  const base = options.manifestFile ? await readManifestFile(options.manifestFile) : {};
  const program = options.program ?? base.program;
  if (program === undefined) throw new UsageError('no PROGRAM given');
  const manifest: Manifest = { ...base, program };
  if (options.program) manifest.args = [programName(options.program), ...options.args];
  if (Object.keys(options.env).length > 0) manifest.env = { ...base.env, ...options.env };
  if (options.mounts.length > 0) manifest.mounts = [...(base.mounts ?? []), ...options.mounts];
  if (Object.keys(options.limits).length > 0) manifest.limits = { ...base.limits, ...options.limits };
  if (Object.keys(options.determinism).length > 0) manifest.determinism = { ...base.determinism, ...options.determinism };
  const stdinFile = options.stdinFile;
  if (stdinFile === '-') manifest.stdin = await readStdin();
  else if (stdinFile !== undefined) {
    const bytes = await readFile(stdinFile).catch((e: NodeJS.ErrnoException) => {
      throw fileError('--stdin', stdinFile, e);
    });
    manifest.stdin = new Uint8Array(bytes);
  } else if (manifest.stdin === undefined && !process.stdin.isTTY) {
    // a terminal is never read whole: a program that does not read stdin must not wait for it
    manifest.stdin = await readStdin();
  }
  return manifest;
}

async function run(options: CliOptions): Promise<number> {
  await checkDirs(options);
  const report = options.reportFile === undefined ? undefined : await openReport(options.reportFile);
  try {
    const manifest = await buildManifest(options);
    // Ctrl-C (or a TERM) ends the VM, not zerovm: the report is still written, and the exit
    // code says which signal it was, as a shell expects (128 + its number).
    const interrupt = new AbortController();
    let signalled = 0;
    const onSignal = (name: NodeJS.Signals, number: number) => () => {
      signalled = number;
      interrupt.abort(`interrupted by ${name}`);
    };
    const handlers = [['SIGINT', onSignal('SIGINT', 2)], ['SIGTERM', onSignal('SIGTERM', 15)]] as const;
    for (const [name, handler] of handlers) process.once(name, handler);
    const result = await runInNode(manifest, {
      passthrough: true, // every byte reaches the terminal; limits.output caps only the report
      signal: interrupt.signal,
      onStdout: (chunk) => void process.stdout.write(chunk),
      onStderr: (chunk) => void process.stderr.write(chunk),
    }).finally(() => {
      for (const [name, handler] of handlers) process.off(name, handler);
    });
    if (report) await writeReport(report, result);
    if (result.status === 'ok') return result.exitCode ?? 0;
    process.stderr.write(`zerovm: ${result.status}: ${result.message}\n`);
    return result.status === 'killed' && signalled ? 128 + signalled : EXIT_FOR[result.status];
  } finally {
    await report?.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP + '\n');
      return 0;
    case 'version':
      process.stdout.write(`zerovm ${version}\n`);
      return 0;
    case 'usage':
      process.stderr.write(`${USAGE}\n(see zerovm --help)\n`);
      return 2;
    case 'run':
      return run(command.options);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    const hint = e instanceof UsageError && e.hint ? ` ${e.hint}` : '';
    process.stderr.write(`zerovm: ${e.message}${hint}\n`);
    process.exitCode = 2;
  },
);
