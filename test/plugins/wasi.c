// wasi.wasm: a plugin that also makes WASI calls (fd_write to stdout, clock, random).
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "extism.h"

// printf to stdout (WASI fd_write), then the output "ok".
XT_EXPORT("wasi_print") int32_t wasi_print(void) {
  printf("printed by the plugin\n");
  fflush(stdout);
  xt_output_string("ok");
  return 0;
}

// WASI clock_time_get and random_get work: outputs "clock ok random ok".
XT_EXPORT("wasi_misc") int32_t wasi_misc(void) {
  struct timespec ts;
  int clock_ok = clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1600000000;
  unsigned char buf[16] = {0};
  int random_ok = getentropy(buf, sizeof buf) == 0;
  char out[64];
  snprintf(out, sizeof out, "clock %s random %s", clock_ok ? "ok" : "bad", random_ok ? "ok" : "bad");
  xt_output_string(out);
  return 0;
}
