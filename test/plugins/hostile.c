// hostile.wasm: plugins a host must stop or contain (see cases.ts).
#include "extism.h"

#define EXPORT(name) XT_EXPORT(#name) int32_t name(void)

// Outputs "alive": shows the plugin still answers after one of the others was stopped.
EXPORT(alive) {
  xt_output_set(xt_new_string("alive"), 5);
  return 0;
}

// Never returns: only a timeout ends it.
EXPORT(loop) {
  volatile uint64_t spins = 0;
  for (;;) spins++;
}

// Mallocs 1 MiB at a time, touching every page, until malloc fails; then fails with
// "malloc failed after N MiB". Under a memory limit it must end (an error or a trap), never hang.
static void *volatile kept; // the chunks stay linked from here, so none can be optimised away
EXPORT(membomb) {
  uint64_t mib = 0;
  for (;;) {
    char *p = malloc(1 << 20);
    if (!p) break;
    for (size_t i = 0; i < (1 << 20); i += 4096) p[i] = 1;
    *(void **)p = kept;
    kept = p;
    mib++;
  }
  char msg[64] = "malloc failed after ";
  size_t n = strlen(msg);
  n += xt_utoa(mib, msg + n);
  strcpy(msg + n, " MiB");
  xt_error(msg);
  return 1;
}

// Outputs 8 MiB: the bytes 'a'..'z' repeating (byte i is 'a' + i % 26).
EXPORT(flood) {
  const size_t total = 8u << 20;
  static char chunk[26 * 2048]; // a multiple of 26 and of 8
  for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = (char)('a' + i % 26);
  xt_handle h = xt_alloc(total);
  for (size_t off = 0; off < total; off += sizeof chunk) {
    size_t n = total - off < sizeof chunk ? total - off : sizeof chunk;
    xt_store(h + off, chunk, n);
  }
  xt_output_set(h, total);
  return 0;
}
