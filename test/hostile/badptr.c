// Syscalls handed out-of-bounds pointers: each must fail with EFAULT (or similar), never crash the host.
#include <stdint.h>
#include <stdio.h>
#include <wasi/api.h>

#define FAR ((uint8_t *)0xfffffff0u)

// wasi-libc's __wasi_path_open measures the path with strlen before the call (which would trap
// in the guest, not reach the kernel): call the import itself, with a length.
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                      int64_t base, int64_t inheriting, int32_t fdflags, int32_t out)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

static void check(const char *what, int err) { printf("%s: %d\n", what, err); }

int main(void) {
  __wasi_ciovec_t iov = {.buf = FAR, .buf_len = 64};
  __wasi_size_t n = 0;
  check("fd_write far buffer", __wasi_fd_write(1, &iov, 1, &n));
  check("fd_write far iovs", __wasi_fd_write(1, (const __wasi_ciovec_t *)FAR, 1, &n));
  __wasi_iovec_t in = {.buf = FAR, .buf_len = 64};
  check("fd_read far buffer", __wasi_fd_read(0, &in, 1, &n));
  check("fd_write far nwritten", __wasi_fd_write(1, &iov, 0, (__wasi_size_t *)FAR));
  check("random_get far", __wasi_random_get(FAR, 64));
  check("clock_time_get far", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (__wasi_timestamp_t *)FAR));
  check("args_sizes_get far", __wasi_args_sizes_get((__wasi_size_t *)FAR, &n));
  check("environ_get far", __wasi_environ_get((uint8_t **)FAR, FAR));
  __wasi_fd_t fd;
  check("path_open far path", raw_path_open(3, 0, (int32_t)(uintptr_t)FAR, 8, 0, 0, 0, 0, (int32_t)(uintptr_t)&fd));
  __wasi_filestat_t st;
  check("fd_filestat_get far", __wasi_fd_filestat_get(1, (__wasi_filestat_t *)FAR));
  check("fd_filestat_get ok", __wasi_fd_filestat_get(1, &st));
  printf("survived\n");
  return 0;
}
