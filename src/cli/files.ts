// The files the command line names: read or opened before the run, so that a typo fails at once
// (naming the flag and the path) instead of after a long run, losing its result.
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Manifest } from '../contract/manifest.js';
import { UsageError } from './args.js';

const PROBLEM: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

/** A file named by a flag cannot be used: the message names the flag and the path, nothing more. */
export function fileError(flag: string, path: string, e: NodeJS.ErrnoException, problem = PROBLEM[e.code ?? '']): UsageError {
  return new UsageError(`${flag} ${path}: ${problem ?? e.message}`, '');
}

/** A file's bytes; `flag` and `shown` name it in the error (`--stdin in.txt`, `--in data=in.csv`). */
export async function readBytes(flag: string, shown: string, file: string): Promise<Uint8Array> {
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw fileError(flag, shown, e);
  });
  return new Uint8Array(bytes);
}

/** A JSON file: parsed, or a usage error naming the flag (or operand) and the file. */
export async function readJson(flag: string, file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw fileError(flag, file, e);
  });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag} ${file}: not valid JSON: ${(e as Error).message}`, '');
  }
}

/** A path rather than a URL (`https:`, `file:`...). */
export const isLocal = (location: string): boolean => !/^[a-z]+:/.test(location);

/** A manifest file; a relative program path in it is relative to the file. */
export async function readManifestFile(flag: string, file: string): Promise<Partial<Manifest>> {
  const base = (await readJson(flag, file)) as Partial<Manifest>;
  if (typeof base.program === 'string' && isLocal(base.program)) base.program = resolve(dirname(file), base.program);
  return base;
}

/**
 * Opened before the run, so that a path that cannot be written fails at once. Append mode: an
 * existing file is replaced only when it is written (writeJson).
 */
export async function openOutput(flag: string, file: string): Promise<FileHandle> {
  return open(file, 'a').catch((e: NodeJS.ErrnoException) => {
    throw fileError(flag, file, e, e.code === 'ENOENT' ? `no such directory ${dirname(file)}` : undefined);
  });
}

export async function writeJson(handle: FileHandle, value: unknown): Promise<void> {
  if ((await handle.stat()).isFile()) await handle.truncate(0); // not /dev/stdout or a pipe
  await handle.writeFile(JSON.stringify(value, null, 2) + '\n');
}
