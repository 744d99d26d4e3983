// Opens the VM's devices by path while only /data is mounted: /dev/stdout and /dev/stderr must
// resolve whatever is mounted (not hostile; built here with the other test guests).
#include <stdio.h>

static int put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    return 1;
  }
  fputs(text, f);
  return fclose(f) != 0;
}

int main(void) {
  char line[64];
  FILE *in = fopen("/data/in.txt", "r");
  if (!in || !fgets(line, sizeof line, in)) {
    perror("/data/in.txt");
    return 1;
  }
  printf("mounted: %s", line);
  fflush(stdout);
  return put("/dev/stdout", "via path\n") | put("/dev/stderr", "err via path\n") | put("/dev/null", "gone\n");
}
