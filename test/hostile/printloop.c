// Prints, then computes forever: what it printed must reach the page at once and survive the
// timeout or kill that ends it. LINES (argv[1], default 1) lines first, to test a burst too.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int lines = argc > 1 ? atoi(argv[1]) : 1;
  for (int i = 1; i < lines; i++) printf("line %d\n", i);
  puts("looping forever");
  fflush(stdout);
  fputs("on stderr too\n", stderr);
  volatile unsigned long long n = 0;
  for (;;) n++;
}
