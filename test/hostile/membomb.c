// Memory bomb: allocates 1 MiB blocks until malloc says no, then says how far it got and goes on.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block { struct block *next; char fill[(1 << 20) - sizeof(void *)]; };

int main(void) {
  struct block *head = NULL;
  size_t blocks = 0;
  for (;;) {
    struct block *b = malloc(sizeof *b);
    if (!b) break;
    memset(b->fill, 1, sizeof b->fill); // touch it: the memory is really the guest's
    b->next = head;
    head = b;
    blocks++;
  }
  printf("malloc failed after %zu MiB\n", blocks);
  while (head) { struct block *next = head->next; free(head); head = next; }
  printf("still running\n");
  return 0;
}
