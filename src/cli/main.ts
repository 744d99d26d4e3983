#!/usr/bin/env node
// zerovm: run a WASI program in a disposable VM from the command line.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { type CliOptions, parseRunArgs, USAGE, UsageError } from './args.js';
import { runInNode } from './node-host.js';

/** Process exit codes for runs that did not end with the guest's own code. */
const EXIT_FOR: Record<Exclude<Report['status'], 'ok'>, number> = { timeout: 124, trap: 134, invalid: 126, killed: 137 };

async function readStdin(): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

async function buildManifest(options: CliOptions): Promise<Manifest> {
  let base: Partial<Manifest> = {};
  if (options.manifestFile) {
    const text = await readFile(options.manifestFile, 'utf8').catch((e: Error) => {
      throw new UsageError(`--manifest ${options.manifestFile}: ${e.message}`);
    });
    try {
      base = JSON.parse(text) as Partial<Manifest>;
    } catch (e) {
      throw new UsageError(`--manifest ${options.manifestFile}: not valid JSON: ${(e as Error).message}`);
    }
    // a relative program path in a manifest file is relative to that file
    if (typeof base.program === 'string' && !/^[a-z]+:/.test(base.program)) {
      base.program = resolve(dirname(options.manifestFile), base.program);
    }
  }
  const program = options.program ?? base.program;
  if (program === undefined) throw new UsageError('no PROGRAM given');
  const manifest: Manifest = { ...base, program };
  if (options.program) manifest.args = [basename(options.program).replace(/\.wasm$/, ''), ...options.args];
  if (Object.keys(options.env).length > 0) manifest.env = { ...base.env, ...options.env };
  if (options.mounts.length > 0) manifest.mounts = [...(base.mounts ?? []), ...options.mounts];
  if (Object.keys(options.limits).length > 0) manifest.limits = { ...base.limits, ...options.limits };
  if (Object.keys(options.determinism).length > 0) manifest.determinism = { ...base.determinism, ...options.determinism };
  if (options.stdinFile !== undefined) {
    manifest.stdin = options.stdinFile === '-' ? await readStdin() : new Uint8Array(await readFile(options.stdinFile));
  } else if (manifest.stdin === undefined && !process.stdin.isTTY) {
    manifest.stdin = await readStdin();
  }
  return manifest;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] !== 'run' || argv.includes('--help') || argv.includes('-h')) {
    const asked = argv.includes('--help') || argv.includes('-h');
    (asked ? process.stdout : process.stderr).write(USAGE + '\n');
    return asked ? 0 : 2;
  }
  const options = parseRunArgs(argv.slice(1));
  const manifest = await buildManifest(options);
  const report = await runInNode(manifest, {
    onStdout: (chunk) => process.stdout.write(chunk),
    onStderr: (chunk) => process.stderr.write(chunk),
  });
  if (options.reportFile) await writeFile(options.reportFile, JSON.stringify(report, null, 2) + '\n');
  if (report.status === 'ok') return report.exitCode ?? 0;
  process.stderr.write(`zerovm: ${report.status}: ${report.message}\n`);
  return EXIT_FOR[report.status];
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`zerovm: ${e.message}\n${e instanceof UsageError ? USAGE + '\n' : ''}`);
    process.exitCode = 2;
  },
);
