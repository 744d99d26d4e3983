// Attempts to leave the preopened directory: every one must fail.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int tries, escapes;

static void attempt(const char *what, const char *path) {
  tries++;
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    escapes++;
    printf("ESCAPED %s: %s\n", what, path);
    close(fd);
  } else {
    printf("refused %s: %s\n", what, strerror(errno));
  }
}

int main(void) {
  // inside /sandbox: links that point out of it
  symlink("/etc/passwd", "/sandbox/abs");
  symlink("../../../../outside", "/sandbox/rel");
  symlink("/sandbox/loop2", "/sandbox/loop1");
  symlink("/sandbox/loop1", "/sandbox/loop2");
  mkdir("/sandbox/d", 0755);
  attempt("dotdot", "/sandbox/../outside");
  attempt("deep dotdot", "/sandbox/d/../../outside");
  attempt("absolute symlink", "/sandbox/abs");
  attempt("relative symlink", "/sandbox/rel");
  attempt("symlink loop", "/sandbox/loop1");
  attempt("outside path", "/outside");
  attempt("proc", "/proc/self/environ");
  printf("%d attempts, %d escapes\n", tries, escapes);
  return escapes;
}
