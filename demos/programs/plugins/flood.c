// flood.wasm: misbehaves by answering far too much. Export: repeat, which outputs the text again
// and again until it fills 4 MiB: more than a sensible limits.output, which ends the call at
// output_set.
#include "extism.h"

#define FLOOD (4u << 20)

XT_EXPORT("repeat") int32_t repeat(void) {
  size_t len;
  char *input = xt_input(&len);
  if (!input) return xt_error("out of memory"), 1;
  const char *text = len > 0 ? input : "flood ";
  if (len == 0) len = 6;
  xt_handle out = xt_alloc(FLOOD);
  for (size_t at = 0; at < FLOOD; at += len) xt_store(out + at, text, FLOOD - at < len ? FLOOD - at : len);
  free(input);
  xt_log('w', "about to answer with 4 MiB");
  xt_output_set(out, FLOOD);
  return 0;
}
