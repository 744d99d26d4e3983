// sort: sorts the lines of stdin or of the named files ("-" is stdin) in byte order, like
// `LC_ALL=C sort`. Options: -r reverses, -n compares leading numbers (ties fall back to bytes).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **lines;
static size_t count, capacity;
static int reverse, numeric;

static int add_line(char *line) {
  if (count == capacity) {
    capacity = capacity ? capacity * 2 : 256;
    char **grown = realloc(lines, capacity * sizeof *lines);
    if (!grown) return -1;
    lines = grown;
  }
  lines[count++] = line;
  return 0;
}

// Reads every line of `in`, without its newline; a last line lacking one is kept too.
static int read_lines(FILE *in, const char *name) {
  char *line = NULL;
  size_t size = 0;
  ssize_t n;
  while ((n = getline(&line, &size, in)) >= 0) {
    if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
    if (add_line(line)) return perror("sort"), 1;
    line = NULL, size = 0; // getline allocates a fresh buffer for the next line
  }
  free(line);
  if (ferror(in)) {
    fprintf(stderr, "sort: %s: %s\n", name, strerror(errno));
    return 1;
  }
  return 0;
}

static int compare(const void *pa, const void *pb) {
  const char *a = *(char *const *)pa, *b = *(char *const *)pb;
  int order = 0;
  if (numeric) {
    double x = strtod(a, NULL), y = strtod(b, NULL);
    order = (x > y) - (x < y);
  }
  if (order == 0) order = strcmp(a, b);
  return reverse ? -order : order;
}

int main(int argc, char **argv) {
  int i = 1, status = 0, files = 0;
  // Flags first, alone or combined ("-rn"); "-" alone is stdin, "--" ends the flags.
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) { i++; break; }
    for (const char *f = argv[i] + 1; *f; f++) {
      if (*f == 'r') reverse = 1;
      else if (*f == 'n') numeric = 1;
      else {
        fprintf(stderr, "sort: invalid option -- '%c'\nusage: sort [-rn] [FILE]...\n", *f);
        return 2;
      }
    }
  }
  for (; i < argc; i++, files++) {
    if (strcmp(argv[i], "-") == 0) { status |= read_lines(stdin, "-"); continue; }
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "sort: %s: %s\n", argv[i], strerror(errno));
      return 2; // like sort(1): an unreadable input is fatal
    }
    status |= read_lines(f, argv[i]);
    fclose(f);
  }
  if (files == 0) status |= read_lines(stdin, "-");
  if (status) return 2;
  qsort(lines, count, sizeof *lines, compare);
  for (size_t k = 0; k < count; k++) puts(lines[k]);
  return 0;
}
