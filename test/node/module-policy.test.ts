// The module policy: memory maxima lowered to limits.memory; nondeterminism refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyPolicy } from '../../src/host/module-policy.js';
import { readMemories, sections } from '../../src/host/wasm-binary.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}.wasm`, import.meta.url)));
const PAGE = 65536;

function memoryOf(bytes: Uint8Array) {
  const section = sections(bytes).find((s) => s.id === 5)!;
  return readMemories(bytes, section)[0];
}

describe('applyPolicy', () => {
  it('passes a deterministic module, 0xfd bytes in immediates and plain SIMD included', () => {
    const bytes = fixture('policy-plain');
    assert.equal(applyPolicy(bytes, { memory: null, deterministic: true }), bytes);
  });

  it('lowers the memory maximum to the limit, and the result still compiles', async () => {
    const out = applyPolicy(fixture('policy-plain'), { memory: 3 * PAGE + 100, deterministic: true });
    const memory = memoryOf(out);
    assert.equal(memory.min, 2);
    assert.equal(memory.max, 3);
    const { instance } = await WebAssembly.instantiate(out as Uint8Array<ArrayBuffer>);
    const mem = instance.exports.memory as WebAssembly.Memory;
    assert.throws(() => mem.grow(2), RangeError); // past the limit: refused, as the guest would see it
    assert.equal(mem.grow(1), 2);
  });

  it('keeps a maximum already below the limit', () => {
    const out = applyPolicy(fixture('policy-shared'), { memory: 100 * PAGE, deterministic: false });
    assert.equal(memoryOf(out).max, 2);
    assert.equal(memoryOf(out).shared, true);
  });

  it('refuses a module whose initial memory exceeds the limit', () => {
    assert.throws(() => applyPolicy(fixture('policy-plain'), { memory: PAGE, deterministic: true }), /needs 131072 bytes of memory to start.*limits\.memory/);
  });

  it('refuses relaxed SIMD in deterministic mode, and allows it in realtime mode', () => {
    assert.throws(() => applyPolicy(fixture('policy-relaxed'), { memory: null, deterministic: true }), /relaxed-SIMD/);
    assert.doesNotThrow(() => applyPolicy(fixture('policy-relaxed'), { memory: null, deterministic: false }));
  });

  it('refuses shared memory in deterministic mode', () => {
    assert.throws(() => applyPolicy(fixture('policy-shared'), { memory: null, deterministic: true }), /shared memory/);
  });

  it('leaves malformed bytes to the compiler', () => {
    const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9]);
    assert.equal(applyPolicy(junk, { memory: PAGE, deterministic: true }), junk);
  });
});
