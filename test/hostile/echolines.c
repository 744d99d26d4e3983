// Live stdin, line by line (not hostile; a test guest): for each line fgets returns, prints
// "got: LINE" (without its newline) and flushes at once, so a test can send the next line only
// after it saw the answer to the last. At the end of input prints "eof" and exits 0. A line
// longer than 4095 bytes arrives as several pieces, each answered on its own.
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    printf("got: %s\n", line);
    fflush(stdout);
  }
  printf("eof\n");
  return 0;
}
