// File bomb: fills the in-memory filesystem with 1 MiB writes until a write fails, which must be
// ENOSPC (the files share limits.memory), then removes a file and finds the room again.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char block[1 << 20];

int main(void) {
  memset(block, 'f', sizeof block);
  long mib = 0;
  int files = 0;
  for (;;) {
    char name[64];
    snprintf(name, sizeof name, "/sandbox/f%d", files++);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { printf("open failed: %s\n", strerror(errno)); return 1; }
    int full = 0;
    for (int i = 0; i < 4; i++) {
      if (write(fd, block, sizeof block) < 0) { full = errno; break; }
      mib++;
    }
    close(fd);
    if (full) {
      printf("write failed after %ld MiB: %s\n", mib, full == ENOSPC ? "ENOSPC" : strerror(full));
      if (full != ENOSPC) return 2;
      break;
    }
  }
  if (unlink("/sandbox/f0") != 0) { printf("unlink failed: %s\n", strerror(errno)); return 3; }
  int fd = open("/sandbox/again", O_WRONLY | O_CREAT, 0644);
  ssize_t n = write(fd, block, sizeof block);
  printf("after unlink: %s\n", n == (ssize_t)sizeof block ? "room again" : strerror(errno));
  return n == (ssize_t)sizeof block ? 0 : 4;
}
