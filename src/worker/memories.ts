// Linear memories for modules whose memory the host made an import (host/module-policy.ts,
// `zerovm.memory`): the worker makes each VM's memory, and gives a small one back to the next VM
// of the same limits once zero-filled and at its initial size, byte for byte what a fresh one
// is. An engine-made memory costs an allocation per VM and a GC to free it: in Chromium a
// hello instance took ~55 µs with its own memory, ~15 µs with a recycled one (a worker loop of 5,000).
import type { MemoryShape } from '../contract/memory-import.js';
import type { HeldModule } from './held-module.js';

/** Only memories this small are kept to be zero-filled: past it, filling costs what a new one does. */
const RECYCLE_MAX_BYTES = 2 << 20;

/** A memory the worker made for a VM, with the limits it was made to. */
export interface GivenMemory {
  memory: WebAssembly.Memory;
  shape: MemoryShape;
}

export class Memories {
  /** One kept memory per shape ("initial/maximum"): a worker runs one VM at a time. */
  private kept = new Map<string, WebAssembly.Memory>();

  /** The memory for a new VM of `held`: undefined when the module has its own. */
  for(held: HeldModule): GivenMemory | undefined {
    const shape = held.memory;
    return shape ? { memory: this.take(shape), shape } : undefined;
  }

  /** A memory of `shape`, as a fresh one is: the one kept, zero-filled, or a new one. */
  take(shape: MemoryShape): WebAssembly.Memory {
    const id = shapeId(shape);
    const memory = this.kept.get(id);
    if (!memory) return new WebAssembly.Memory(shape);
    this.kept.delete(id);
    new Uint8Array(memory.buffer).fill(0);
    return memory;
  }

  /** Takes back the memory of a VM that has ended, if it is small and never grew. */
  give({ memory, shape }: GivenMemory): void {
    const bytes = memory.buffer.byteLength;
    if (bytes === shape.initial * 65536 && bytes <= RECYCLE_MAX_BYTES) this.kept.set(shapeId(shape), memory);
  }
}

const shapeId = (shape: MemoryShape) => `${shape.initial}/${shape.maximum}`;
