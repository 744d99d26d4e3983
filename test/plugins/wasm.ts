// The test plugins' bytes (Node): test/plugins/NAME.wasm.
import { readFile } from 'node:fs/promises';
import type { PluginFile } from './cases.js';

export const pluginWasm = (name: PluginFile): Promise<Uint8Array> => readFile(new URL(`./${name}.wasm`, import.meta.url)).then((b) => new Uint8Array(b));
