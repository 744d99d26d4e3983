// Prints times, sleeps and random bytes: in deterministic mode the output is the same every run.
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec ts;
  for (int i = 0; i < 3; i++) {
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("realtime %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("monotonic %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    usleep(250000);
  }
  sleep(2);
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("after sleep %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  unsigned char buf[32];
  getentropy(buf, sizeof buf);
  for (size_t i = 0; i < sizeof buf; i++) printf("%02x", buf[i]);
  printf("\nrand %d %d\n", rand(), rand());
  return 0;
}
