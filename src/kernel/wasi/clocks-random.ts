// clock_res_get, clock_time_get, random_get: time and randomness come from the VM's Clock and
// random source (virtual and seeded by default; see determinism.ts), never from the host directly.
import { CLOCK_COUNT, Errno } from '../abi.js';
import type { Context, Syscalls } from '../context.js';
import { fail } from '../errors.js';

function clockId(id: number): number {
  if (id >>> 0 >= CLOCK_COUNT) fail(Errno.INVAL);
  return id;
}

export function clockRandomCalls(ctx: Context): Syscalls {
  const { mem } = ctx;
  return {
    clock_res_get(id: number, out: number) {
      mem.check(out, 8);
      mem.setU64(out, ctx.clock.resolution(clockId(id)));
      return 0;
    },
    clock_time_get(id: number, _precision: bigint, out: number) {
      mem.check(out, 8);
      mem.setU64(out, ctx.clock.now(clockId(id)));
      return 0;
    },
    random_get(buf: number, len: number) {
      ctx.random(mem.bytes(buf, len));
      return 0;
    },
  };
}
