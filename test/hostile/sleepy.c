// Sleeps argv[1] ms (nanosleep: poll_oneoff with a clock) and prints how long the monotonic clock
// says it took: in realtime mode the sleep must really wait, on every path a VM can take.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  long ms = argc > 1 ? atol(argv[1]) : 100;
  struct timespec before, after, want = {ms / 1000, (ms % 1000) * 1000000L};
  clock_gettime(CLOCK_MONOTONIC, &before);
  nanosleep(&want, NULL);
  clock_gettime(CLOCK_MONOTONIC, &after);
  long took = (after.tv_sec - before.tv_sec) * 1000L + (after.tv_nsec - before.tv_nsec) / 1000000L;
  printf("slept %ld ms\n", took);
  return 0;
}
