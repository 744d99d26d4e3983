// Reads a named input channel to its end (not hostile; a test guest): /dev/in/NAME, NAME being
// argv[1]. Prints "bytes: N, checksum: C", C being the sum of all bytes mod 2^32, and exits 0.
// Exits 2 without a NAME or if the channel cannot be opened, 1 if a read fails (stderr says why).
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: readall NAME (reads /dev/in/NAME)\n");
    return 2;
  }
  char path[256];
  snprintf(path, sizeof path, "/dev/in/%s", argv[1]);
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "readall: %s: %s\n", path, strerror(errno));
    return 2;
  }
  static unsigned char buf[65536];
  unsigned long long bytes = 0;
  uint32_t sum = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      fprintf(stderr, "readall: %s: %s after %llu bytes\n", path, strerror(errno), bytes);
      return 1;
    }
    if (n == 0) break;
    for (ssize_t i = 0; i < n; i++) sum += buf[i];
    bytes += (unsigned long long)n;
  }
  close(fd);
  printf("bytes: %llu, checksum: %lu\n", bytes, (unsigned long)sum);
  return 0;
}
