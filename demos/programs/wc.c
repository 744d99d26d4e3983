// wc: counts lines, words and bytes of stdin or of each named file ("-" is stdin), with a
// total line when more than one input is given. Fixed-width columns keep the output stable.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct counts { unsigned long lines, words, bytes; };

static void print(const struct counts *c, const char *name) {
  printf("%7lu %7lu %7lu", c->lines, c->words, c->bytes);
  if (name) printf(" %s", name);
  putchar('\n');
}

// Counts one stream; returns 0, or 1 after reporting a read error.
static int count(FILE *in, const char *name, struct counts *c) {
  unsigned char buf[16384];
  size_t n;
  int in_word = 0;
  *c = (struct counts){0, 0, 0};
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    c->bytes += n;
    for (size_t i = 0; i < n; i++) {
      if (buf[i] == '\n') c->lines++;
      if (isspace(buf[i])) in_word = 0;
      else if (!in_word) in_word = 1, c->words++;
    }
  }
  if (ferror(in)) {
    fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  struct counts c, total = {0, 0, 0};
  int status = 0;
  if (argc < 2) {
    status = count(stdin, "-", &c);
    if (!status) print(&c, NULL);
    return status;
  }
  for (int i = 1; i < argc; i++) {
    int is_stdin = strcmp(argv[i], "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (count(f, argv[i], &c)) status = 1;
    else {
      print(&c, argv[i]);
      total.lines += c.lines, total.words += c.words, total.bytes += c.bytes;
    }
    if (!is_stdin) fclose(f);
  }
  if (argc > 2) print(&total, "total");
  return status;
}
