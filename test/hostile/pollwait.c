// poll() on a live stdin (not hostile; a test guest): waits on fd 0 for POLLIN with a timeout of
// argv[1] ms (default 100). If poll returns 0 it prints "timeout"; otherwise it reads what is
// there (one read, up to 4095 bytes) and prints "input: TEXT" with one trailing newline removed,
// or stops at the end of input (read returns 0). It polls at most argv[2] times (default 5),
// then prints "done" and exits 0. wasi-libc's poll() is WASI's poll_oneoff: one FD_READ
// subscription and one relative clock.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int timeout = argc > 1 ? atoi(argv[1]) : 100;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  for (int i = 0; i < rounds; i++) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    int ready = poll(&p, 1, timeout);
    if (ready < 0) {
      fprintf(stderr, "pollwait: poll: %s\n", strerror(errno));
      return 1;
    }
    if (ready == 0) {
      printf("timeout\n");
      fflush(stdout);
      continue;
    }
    char buf[4096];
    ssize_t n = read(0, buf, sizeof buf - 1);
    if (n < 0) {
      fprintf(stderr, "pollwait: read: %s\n", strerror(errno));
      return 1;
    }
    if (n == 0) break; // end of input
    if (buf[n - 1] == '\n') n--;
    buf[n] = 0;
    printf("input: %s\n", buf);
    fflush(stdout);
  }
  printf("done\n");
  return 0;
}
