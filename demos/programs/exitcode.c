// exitcode: exits with argv[1] (default 0) as its code, saying so on both stdout and stderr.
// Small on purpose: it tests exit codes and stderr capture.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 0;
  printf("exiting with %d\n", code);
  fprintf(stderr, "exitcode: exit status %d\n", code);
  return code;
}
