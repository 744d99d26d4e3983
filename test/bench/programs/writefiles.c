// Volume commits: writes argv[2] files of argv[3] bytes each into the directory argv[1] (named
// f0000, f0001, ...) in 64 KiB writes, and prints nothing. Every block begins with a stamp of
// argv[4] (a seed the bench draws afresh for each run), the file's index and the block's offset:
// no two 1 MiB chunks of one run or of two runs are equal, so content addressing shares nothing
// and every byte written is a byte to commit.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 65536

static char block[BLOCK];

int main(int argc, char **argv) {
  if (argc < 5) return 1;
  const char *dir = argv[1];
  long count = atol(argv[2]);
  long long size = atoll(argv[3]);
  unsigned long long seed = strtoull(argv[4], 0, 10);
  for (long i = 0; i < BLOCK; i++) block[i] = (char)(i * 31 + 7);
  char path[512];
  for (long f = 0; f < count; f++) {
    snprintf(path, sizeof path, "%s/f%04ld", dir, f);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0) return 2;
    for (long long done = 0; done < size;) {
      long want = size - done < BLOCK ? (long)(size - done) : BLOCK;
      unsigned long long stamp[3] = {seed, (unsigned long long)f, (unsigned long long)done};
      memcpy(block, stamp, want < (long)sizeof stamp ? (size_t)want : sizeof stamp);
      ssize_t n = write(fd, block, want);
      if (n <= 0) return 3;
      done += n;
    }
    if (close(fd) != 0) return 4;
  }
  return 0;
}
