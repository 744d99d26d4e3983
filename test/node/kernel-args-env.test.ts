// args_* and environ_*: sizes count the NULs, and the strings are laid out back to back, each
// pointer aimed at its own string inside the guest's buffer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run, type Vm } from './kernel-harness.js';

/** Reads count and size, then the strings through the guest's pointer array. */
function strings(vm: Vm, sizesCall: string, getCall: string): { size: number; strings: string[]; buf: number } {
  const sizes = vm.alloc(8);
  vm.ok(sizesCall, sizes, sizes + 4);
  const [count, size] = [vm.u32(sizes), vm.u32(sizes + 4)];
  const pointers = vm.alloc(count * 4);
  const buf = vm.alloc(size);
  vm.ok(getCall, pointers, buf);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = vm.u32(pointers + i * 4);
    assert.ok(at >= buf && at < buf + size, 'pointer inside the buffer');
    const end = vm.u8.indexOf(0, at);
    out.push(vm.text(at, end - at));
  }
  return { size, strings: out, buf };
}

describe('kernel: args and environ', () => {
  it('gives argv with its UTF-8 sizes, NULs included', () => {
    run({ args: ['prog', 'héllo', ''] }, (vm) => {
      const argv = strings(vm, 'args_sizes_get', 'args_get');
      assert.deepEqual(argv.strings, ['prog', 'héllo', '']);
      assert.equal(argv.size, 5 + 7 + 1); // "é" is two bytes
      // back to back: the buffer is exactly the strings and their NULs
      assert.deepEqual(vm.bytes(argv.buf, argv.size), new TextEncoder().encode('prog\0héllo\0\0'));
    });
  });

  it('gives environ as NAME=value, in the order given', () => {
    run({ env: { B: '2', A: 'x=y' } }, (vm) => {
      const env = strings(vm, 'environ_sizes_get', 'environ_get');
      assert.deepEqual(env.strings, ['B=2', 'A=x=y']);
      assert.equal(env.size, 4 + 6);
    });
  });

  it('gives an empty environ as zero strings and zero bytes', () => {
    run({}, (vm) => {
      const sizes = vm.alloc(8);
      vm.ok('environ_sizes_get', sizes, sizes + 4);
      assert.deepEqual([vm.u32(sizes), vm.u32(sizes + 4)], [0, 0]);
    });
  });
});
