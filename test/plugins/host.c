// host.wasm: calls the user host function extism:host/user::upper (one handle in, one out).
// Loading it without that function must fail.
#include "extism.h"

XT_USER("upper") xt_handle upper(xt_handle input);

// output: "host said: " followed by what upper returned for the input.
XT_EXPORT("host_upper") int32_t host_upper(void) {
  size_t len;
  char *in = xt_input(&len);
  if (!in) return xt_error("out of memory"), 1;
  xt_handle reply = upper(xt_new_block(in, len));
  free(in);
  size_t n = 0;
  char *text = xt_read_block(reply, &n);
  static const char prefix[] = "host said: ";
  char *out = malloc(sizeof prefix + n);
  memcpy(out, prefix, sizeof prefix - 1);
  if (text) memcpy(out + sizeof prefix - 1, text, n);
  xt_output(out, sizeof prefix - 1 + n);
  free(text);
  free(out);
  return 0;
}
