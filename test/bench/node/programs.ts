// The benchmark guests as files, and the plugin of the plugin metrics, for the Node rows.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ProgramName } from '../../../demos/bench/programs.js';

export function programPath(name: ProgramName): string {
  return fileURLToPath(new URL(`../programs/${name}.wasm`, import.meta.url));
}

const loaded = new Map<ProgramName, Promise<Uint8Array>>();

export function programBytes(name: ProgramName): Promise<Uint8Array> {
  let bytes = loaded.get(name);
  if (!bytes) {
    bytes = readFile(programPath(name)).then((b) => new Uint8Array(b));
    loaded.set(name, bytes);
  }
  return bytes;
}

/** The plugin of the plugin metrics: test/plugins/plugin.wasm. */
export async function pluginBytes(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL('../../plugins/plugin.wasm', import.meta.url)));
}
