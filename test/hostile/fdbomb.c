// Descriptor exhaustion: opens the same file until open fails, which must be EMFILE.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  int opened = 0;
  for (;;) {
    int fd = open("/sandbox/f", O_RDONLY | O_CREAT, 0644);
    if (fd < 0) {
      printf("open failed after %d: %s\n", opened, errno == EMFILE ? "EMFILE" : strerror(errno));
      return errno == EMFILE ? 0 : 1;
    }
    opened++;
  }
}
