// Backpressure on a named output channel (not hostile; a test guest): writes argv[1] bytes
// (default 4 MiB) to /dev/out/data in writes of argv[2] bytes (default 4096), finishing any
// short write before the next, then prints "wrote N" on stdout and exits 0. Byte k of the stream
// is k % 256, so a test can check what arrived. A slow reader on the page must make the writes
// wait, never let them pile up without bound. Exits 1 if a write fails, 2 on bad arguments or
// if /dev/out/data cannot be opened (messages on stderr).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long long total = argc > 1 ? atoll(argv[1]) : 4 << 20;
  long chunk = argc > 2 ? atol(argv[2]) : 4096;
  if (total < 0 || chunk < 1 || chunk > (16 << 20)) {
    fprintf(stderr, "usage: sinkflood [BYTES [CHUNK (1 .. 16 MiB)]]\n");
    return 2;
  }
  int fd = open("/dev/out/data", O_WRONLY);
  if (fd < 0) {
    fprintf(stderr, "sinkflood: /dev/out/data: %s\n", strerror(errno));
    return 2;
  }
  unsigned char *buf = malloc((size_t)chunk);
  if (!buf) {
    fprintf(stderr, "sinkflood: out of memory\n");
    return 2;
  }
  long long written = 0;
  while (written < total) {
    long long want = total - written < chunk ? total - written : chunk;
    for (long long i = 0; i < want; i++) buf[i] = (unsigned char)(written + i);
    for (long long done = 0; done < want;) {
      ssize_t n = write(fd, buf + done, (size_t)(want - done));
      if (n < 0) {
        fprintf(stderr, "sinkflood: /dev/out/data: %s after %lld bytes\n", strerror(errno), written + done);
        return 1;
      }
      done += n;
    }
    written += want;
  }
  close(fd);
  printf("wrote %lld\n", written);
  return 0;
}
