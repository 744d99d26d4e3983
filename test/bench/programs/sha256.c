// Compute: SHA-256 over argv[1] MiB of generated data (default 64), digest printed once at the end.
// CPU-bound and syscall-free in its loop, so it measures the engine, not the runtime.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../demos/programs/sha256.h"

int main(int argc, char **argv) {
  size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 64;
  size_t len = mib << 20;
  uint8_t *data = malloc(len);
  if (!data) return 2;
  uint32_t x = 2463534242u; // xorshift fill: cheap, and not something the compiler can fold away
  for (size_t i = 0; i < len; i += 4) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    memcpy(data + i, &x, 4);
  }
  sha256 s;
  char hex[65];
  sha256_init(&s);
  sha256_update(&s, data, len);
  sha256_hex(&s, hex);
  puts(hex);
  return 0;
}
