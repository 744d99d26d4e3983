// args_* and environ_*: the strings the manifest gave, laid out as C's argv and environ.
import type { Context, Syscalls } from '../context.js';
import type { GuestMemory } from '../memory.js';

function sizes(mem: GuestMemory, strings: Uint8Array[], countPtr: number, sizePtr: number): number {
  mem.check(countPtr, 4);
  mem.check(sizePtr, 4);
  let size = 0;
  for (const s of strings) size += s.length;
  mem.setU32(countPtr, strings.length);
  mem.setU32(sizePtr, size);
  return 0;
}

function strings(mem: GuestMemory, strings: Uint8Array[], pointersPtr: number, bufPtr: number): number {
  let size = 0;
  for (const s of strings) size += s.length;
  const pointers = mem.check(pointersPtr, strings.length * 4);
  let at = mem.check(bufPtr, size);
  strings.forEach((s, i) => {
    mem.view.setUint32(pointers + i * 4, at, true);
    mem.u8.set(s, at);
    at += s.length;
  });
  return 0;
}

export function argsEnvCalls(ctx: Context): Syscalls {
  return {
    args_sizes_get: (countPtr: number, sizePtr: number) => sizes(ctx.mem, ctx.args, countPtr, sizePtr),
    args_get: (argvPtr: number, bufPtr: number) => strings(ctx.mem, ctx.args, argvPtr, bufPtr),
    environ_sizes_get: (countPtr: number, sizePtr: number) => sizes(ctx.mem, ctx.env, countPtr, sizePtr),
    environ_get: (environPtr: number, bufPtr: number) => strings(ctx.mem, ctx.env, environPtr, bufPtr),
  };
}
