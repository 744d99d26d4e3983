// shout.wasm: a transform. Export: shout (text in, the same text in capitals out; ASCII letters
// only, so multi-byte characters pass through whole).
#include "extism.h"

XT_EXPORT("shout") int32_t shout(void) {
  size_t len;
  char *text = xt_input(&len);
  if (!text) return xt_error("out of memory"), 1;
  uint64_t raised = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] >= 'a' && text[i] <= 'z') {
      text[i] = (char)(text[i] - 'a' + 'A');
      raised++;
    }
  }
  xt_output(text, len);
  free(text);
  char line[48] = "raised ";
  size_t n = strlen(line);
  n += xt_utoa(raised, line + n);
  strcpy(line + n, " letters");
  xt_log('i', line);
  return 0;
}
