// Extism's host memory: the blocks a plugin allocates outside its own linear memory (input,
// output, config values, vars, host call replies), named by i64 handles. A handle is a block's
// number times 2^32 plus an offset into it, so a plugin may step through a block by adding to its
// handle; 0 is no block. Every access is bounds-checked (a plugin error, never a host fault), and
// all blocks together stay within a byte budget (limits.memory).

const SPAN = 2 ** 32;
/** What a block costs against the budget beyond its bytes (the host's own bookkeeping): so that
 * empty or tiny blocks cannot take host memory for free. */
const BLOCK_OVERHEAD = 64;
/** Most blocks alive at once (handles stay exact numbers well below this). */
const MAX_BLOCKS = 1 << 20;

/** A plugin used the ABI wrongly or past its limits: the call ends with this message. */
export class PluginFault extends Error {
  override name = 'PluginFault';
}

export class Blocks {
  private blocks: (Uint8Array | null)[] = [null];
  private unused: number[] = [];
  private used = 0;

  constructor(private budget: number) {}

  /** A new block of `size` zero bytes: its handle. */
  alloc(size: number): bigint {
    if (!Number.isSafeInteger(size) || size < 0 || size >= SPAN) throw new PluginFault(`alloc(${size}): not a block size`);
    if (this.used + size + BLOCK_OVERHEAD > this.budget) throw new PluginFault(`alloc(${size}): the plugin's blocks would pass limits.memory (${this.budget} bytes, ${BLOCK_OVERHEAD} a block beside its bytes)`);
    if (this.unused.length === 0 && this.blocks.length >= MAX_BLOCKS) throw new PluginFault(`alloc(${size}): more than ${MAX_BLOCKS} blocks alive at once`);
    this.used += size + BLOCK_OVERHEAD;
    const block = new Uint8Array(size);
    const index = this.unused.pop() ?? this.blocks.length;
    this.blocks[index] = block;
    return BigInt(index * SPAN);
  }

  /** A new block holding `bytes` (copied). */
  store(bytes: Uint8Array): bigint {
    const handle = this.alloc(bytes.length);
    this.block(handle).set(bytes);
    return handle;
  }

  free(handle: bigint): void {
    const index = indexOf(handle);
    const block = this.blocks[index];
    if (!block || index === 0) return; // freeing nothing (or twice) is no error, as free(NULL)
    this.used -= block.length + BLOCK_OVERHEAD;
    this.blocks[index] = null;
    this.unused.push(index);
  }

  /** The length of the block a handle starts, or 0 when it starts none. */
  length(handle: bigint): bigint {
    const block = this.blocks[indexOf(handle)];
    return block && offsetOf(handle) === 0 ? BigInt(block.length) : 0n;
  }

  /** The whole block a handle starts. */
  block(handle: bigint): Uint8Array {
    const block = this.blocks[indexOf(handle)];
    if (!block || offsetOf(handle) !== 0) throw new PluginFault(`0x${handle.toString(16)} is not the start of a block`);
    return block;
  }

  /** `len` bytes from a handle (a block and an offset into it). */
  bytes(handle: bigint, len: number): Uint8Array {
    const [block, at] = this.locate(handle, len);
    return block.subarray(at, at + len);
  }

  loadU8(handle: bigint): number {
    const [block, at] = this.locate(handle, 1);
    return block[at];
  }

  loadU64(handle: bigint): bigint {
    const [block, at] = this.locate(handle, 8);
    return new DataView(block.buffer, block.byteOffset).getBigUint64(at, true);
  }

  storeU8(handle: bigint, value: number): void {
    const [block, at] = this.locate(handle, 1);
    block[at] = value;
  }

  storeU64(handle: bigint, value: bigint): void {
    const [block, at] = this.locate(handle, 8);
    new DataView(block.buffer, block.byteOffset).setBigUint64(at, value, true);
  }

  private locate(handle: bigint, len: number): [Uint8Array, number] {
    const block = this.blocks[indexOf(handle)];
    const at = offsetOf(handle);
    if (!block || at + len > block.length || len < 0) throw new PluginFault(`0x${handle.toString(16)} (+${len}) lies outside every block`);
    return [block, at];
  }
}

/** A handle's block and offset, split as integers (a Number would round a big handle's offset away). */
const indexOf = (handle: bigint) => (handle < 0n || handle >= BigInt(MAX_BLOCKS) << 32n ? -1 : Number(handle >> 32n));
const offsetOf = (handle: bigint) => Number(handle & 0xffffffffn);
