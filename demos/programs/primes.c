// primes: a sieve of Eratosthenes up to N (default 100000). Prints how many primes there are and
// the largest; with -v, every prime as well. A small CPU- and memory-bound benchmark.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int verbose = 0;
  unsigned long n = 100000;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0) { verbose = 1; continue; }
    char *end;
    n = strtoul(argv[i], &end, 10);
    if (*end || n < 2 || n > 500000000) {
      fprintf(stderr, "primes: invalid limit '%s' (expected 2..500000000)\nusage: primes [-v] [N]\n", argv[i]);
      return 2;
    }
  }
  // One byte per number: composite[k] != 0 once k is known not to be prime.
  unsigned char *composite = calloc(n + 1, 1);
  if (!composite) {
    fprintf(stderr, "primes: out of memory for N=%lu\n", n);
    return 1;
  }
  unsigned long count = 0, last = 0;
  for (unsigned long k = 2; k <= n; k++) {
    if (composite[k]) continue;
    count++, last = k;
    if (verbose) printf("%lu\n", k);
    for (unsigned long long m = (unsigned long long)k * k; m <= n; m += k) composite[m] = 1;
  }
  printf("%lu primes up to %lu; the largest is %lu\n", count, n, last);
  free(composite);
  return 0;
}
