// Many calls through one call channel (not hostile; a test guest): opens /dev/call/echo and makes
// N requests (argv[1], default 1000). Request i (i = 0 .. N-1) is the decimal text of i; the page
// is expected to answer it with the same text and "!" appended. Reads each reply to its end (read
// returning 0), counts the replies that differ, prints "calls: N, mismatches: M" and exits 1 if
// M > 0, else 0. Exits 2 with a message on stderr if the channel cannot be opened or fails.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
  int fd = open("/dev/call/echo", O_RDWR);
  if (fd < 0) {
    fprintf(stderr, "callmany: /dev/call/echo: %s\n", strerror(errno));
    return 2;
  }
  long mismatches = 0;
  for (long i = 0; i < n; i++) {
    char request[32], expected[32], reply[64];
    int len = snprintf(request, sizeof request, "%ld", i);
    snprintf(expected, sizeof expected, "%s!", request);
    if (write(fd, request, (size_t)len) != len) {
      fprintf(stderr, "callmany: request %ld: write: %s\n", i, strerror(errno));
      return 2;
    }
    size_t size = 0; // the reply's length; only its first sizeof reply bytes are kept
    char chunk[64];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0) { // to the end of the reply
      if (size + (size_t)got <= sizeof reply) memcpy(reply + size, chunk, (size_t)got);
      size += (size_t)got;
    }
    if (got < 0) {
      fprintf(stderr, "callmany: request %ld: read: %s\n", i, strerror(errno));
      return 2;
    }
    if (size != strlen(expected) || memcmp(reply, expected, size) != 0) mismatches++;
  }
  close(fd);
  printf("calls: %ld, mismatches: %ld\n", n, mismatches);
  return mismatches != 0;
}
