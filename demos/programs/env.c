// env: prints argc, each argument, then the environment sorted by name, so the output does not
// depend on the order a runtime hands the variables over in.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_string(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  size_t n = 0;
  while (environ && environ[n]) n++;
  char **vars = malloc((n + 1) * sizeof *vars);
  if (!vars) return 1;
  memcpy(vars, environ, n * sizeof *vars);
  qsort(vars, n, sizeof *vars, by_string);
  for (size_t i = 0; i < n; i++) printf("%s\n", vars[i]);
  free(vars);
  return 0;
}
