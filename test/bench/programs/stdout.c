// Stdout throughput: argv[1] bytes in all, written argv[2] bytes at a time (default 64 KiB).
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long long total = argc > 1 ? atoll(argv[1]) : 256LL << 20;
  long chunk = argc > 2 ? atol(argv[2]) : 65536;
  char *block = malloc(chunk);
  if (!block) return 2;
  memset(block, 'x', chunk); // ASCII, so a runtime that decodes text is not penalised for bad UTF-8
  for (long long done = 0; done < total;) {
    long want = total - done < chunk ? (long)(total - done) : chunk;
    ssize_t n = write(1, block, want);
    if (n <= 0) return 1;
    done += n;
  }
  return 0;
}
