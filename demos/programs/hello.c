// hello: the smallest useful guest. Greets argv[1] (or the world) on stdout.
#include <stdio.h>

int main(int argc, char **argv) {
  printf("Hello, %s!\n", argc > 1 ? argv[1] : "world");
  return 0;
}
