// @extism/extism, Extism's own JS SDK, for the plugin metrics: createPlugin on the section's
// plugin bytes with WASI, in the foreground (the page's or Node's main thread) or in the SDK's own
// worker (runInWorker: it needs SharedArrayBuffer, so a cross-origin-isolated page). It keeps one
// instance between calls (its only mode) and runs plugins only, not WASI commands.
import createPlugin from '@extism/extism';
import type { BenchRuntime, Outcome, PluginAccess } from './runtime.js';

export class ExtismRuntime implements BenchRuntime {
  readonly slots = 1;
  readonly notes: string[];
  readonly plugins: PluginAccess;

  constructor(
    readonly name: string,
    wasm: Uint8Array,
    runInWorker: boolean,
  ) {
    this.notes = [`createPlugin({ wasm: [{ data: bytes }] }, { useWasi: true${runInWorker ? ', runInWorker: true' : ''} }), then plugin.call(name, input)`];
    // Both seen with 1.0.3: its CallContext only ever appends blocks (until reset()).
    this.notes.push(
      runInWorker
        ? 'its block table only grows (a freed block keeps its slot), and every call sends the whole table to the worker and back: each call takes longer than the one before'
        : 'its block table only grows (a freed block keeps its slot): a plugin fails at slot 2^15, after 6,553 calls of count_vowels ("cannot assign to this block"), so each figure here is of fewer calls than that',
    );
    this.plugins = {
      between: 'kept',
      load: async () => {
        // A copy: whatever the SDK does with the buffer, the other runtimes' bytes stay whole.
        const plugin = await createPlugin({ wasm: [{ data: wasm.slice() }] }, { useWasi: true, runInWorker });
        return {
          call: async (name, input) => (await plugin.call(name, input))?.bytes() ?? new Uint8Array(0),
          dispose: () => plugin.close(),
        };
      },
    };
  }

  /** Loads the plugin once, so that a runtime that cannot (no worker here) says so at once. */
  async setup(): Promise<void> {
    await (await this.plugins.load({ keepState: true })).dispose();
  }

  run(): Promise<Outcome> {
    return Promise.reject(new Error(`${this.name} runs plugins, not WASI commands`));
  }

  cold(): Promise<Outcome> {
    return this.run();
  }

  dispose(): void {}
}
