// The benchmark guests (test/bench/programs/*.wasm): their URLs, their bytes, and fresh copies of
// them that no engine has compiled before (for cold-start samples).

export type ProgramName = 'hello' | 'syscall' | 'stdout' | 'fileio' | 'sha256' | 'spin' | 'echobyte' | 'writefiles' | 'readfile';

export const PROGRAMS: ProgramName[] = ['hello', 'syscall', 'stdout', 'fileio', 'sha256', 'spin', 'echobyte', 'writefiles', 'readfile'];

export function programUrl(name: ProgramName): string {
  return new URL(`../../test/bench/programs/${name}.wasm`, import.meta.url).href;
}

const loaded = new Map<ProgramName, Promise<Uint8Array>>();

export function programBytes(name: ProgramName): Promise<Uint8Array> {
  let bytes = loaded.get(name);
  if (!bytes) {
    bytes = fetch(programUrl(name)).then(async (r) => {
      if (!r.ok) throw new Error(`${programUrl(name)}: ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    });
    loaded.set(name, bytes);
  }
  return bytes;
}

/** The plugin of the plugin metrics (test/plugins/plugin.wasm, built by test/plugins/build.sh). */
export const pluginUrl = (): string => new URL('../../test/plugins/plugin.wasm', import.meta.url).href;

export async function pluginBytes(): Promise<Uint8Array> {
  const r = await fetch(pluginUrl());
  if (!r.ok) throw new Error(`${pluginUrl()}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export { freshCopy } from './fresh-copy.js';
