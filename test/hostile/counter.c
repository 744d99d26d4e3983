// Adds 1 to the number in a volume's file (argv[1], default /data/count; 0 when it is missing),
// writes it back and prints it: two runs at once on one volume make a conflict, and a run killed
// at any moment must leave the file as it was or as it became, never half written. argv[2], when
// given, is an exit code to end with (for the commit rules), or "spin" to loop forever after the
// write (a run that never exits: its changes are never kept).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/data/count";
  long n = 0;
  FILE *in = fopen(path, "r");
  if (in) {
    if (fscanf(in, "%ld", &n) != 1) n = 0;
    fclose(in);
  }
  FILE *out = fopen(path, "w");
  if (!out) {
    perror(path);
    return 2;
  }
  fprintf(out, "%ld\n", n + 1);
  fclose(out);
  printf("%ld\n", n + 1);
  fflush(stdout);
  if (argc > 2 && strcmp(argv[2], "spin") == 0) {
    volatile unsigned long long spin = 0;
    for (;;) spin++;
  }
  return argc > 2 ? atoi(argv[2]) : 0;
}
