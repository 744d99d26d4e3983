// The smallest useful VM: one line to stdout. Spawn and churn benchmarks run it.
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
