// sock_*: a VM has no sockets — no descriptor is ever one — so these fail as on any descriptor
// that is not a socket (ENOTSOCK), or EBADF for one that is not open.
import { Errno } from '../abi.js';
import type { Context, Syscalls } from '../context.js';
import { fail } from '../errors.js';

export function sockCalls(ctx: Context): Syscalls {
  const notSocket = (fd: number): number => {
    ctx.fds.get(fd);
    return fail(Errno.NOTSOCK);
  };
  return {
    sock_accept: notSocket,
    sock_recv: notSocket,
    sock_send: notSocket,
    sock_shutdown: notSocket,
  };
}
