// Output flood: writes 64 KiB blocks to stdout forever; stops only when a write fails (a quota).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static char block[65536];
  memset(block, 'x', sizeof block);
  unsigned long long total = 0;
  for (;;) {
    ssize_t n = write(1, block, sizeof block);
    if (n < 0) {
      fprintf(stderr, "write failed after %llu bytes: %s\n", total, strerror(errno));
      return 3;
    }
    total += (unsigned long long)n;
  }
}
