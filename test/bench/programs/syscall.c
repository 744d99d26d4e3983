// Syscall cost: argv[1] one-byte write(1) calls, each a separate fd_write (no stdio buffering).
// Run once with N and once with 0: the difference divided by N is the cost of one call.
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  for (long i = 0; i < n; i++) {
    if (write(1, "x", 1) != 1) return 1;
  }
  return 0;
}
