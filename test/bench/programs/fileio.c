// In-memory file I/O: writes argv[2] bytes to the file argv[1] in argv[3]-byte writes (default
// 64 KiB), then reads it all back and checks it. Prints nothing: only the filesystem is measured.
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/bench.dat";
  long long total = argc > 2 ? atoll(argv[2]) : 64LL << 20;
  long chunk = argc > 3 ? atol(argv[3]) : 65536;
  char *block = malloc(chunk);
  if (!block) return 2;
  for (long i = 0; i < chunk; i++) block[i] = (char)(i * 31 + 7);

  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0) return 3;
  for (long long done = 0; done < total;) {
    long want = total - done < chunk ? (long)(total - done) : chunk;
    ssize_t n = write(fd, block, want);
    if (n <= 0) return 4;
    done += n;
  }
  close(fd);

  fd = open(path, O_RDONLY);
  if (fd < 0) return 5;
  long long seen = 0;
  for (;;) {
    ssize_t n = read(fd, block, chunk);
    if (n < 0) return 6;
    if (n == 0) break;
    if (block[0] != 7) return 7; // every chunk starts at the same pattern offset
    seen += n;
  }
  close(fd);
  return seen == total ? 0 : 8;
}
