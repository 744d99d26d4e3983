// sha256sum: prints "HASH  NAME" for each named file, or "HASH  -" for stdin (also for "-").
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sha256.h"

static int sum(FILE *in, const char *name) {
  uint8_t buf[16384];
  size_t n;
  sha256 s;
  char hex[65];
  sha256_init(&s);
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) sha256_update(&s, buf, n);
  if (ferror(in)) {
    fprintf(stderr, "sha256sum: %s: %s\n", name, strerror(errno));
    return 1;
  }
  sha256_hex(&s, hex);
  printf("%s  %s\n", hex, name);
  return 0;
}

int main(int argc, char **argv) {
  int status = 0;
  if (argc < 2) return sum(stdin, "-");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) { status |= sum(stdin, "-"); continue; }
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "sha256sum: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    status |= sum(f, argv[i]);
    fclose(f);
  }
  return status;
}
