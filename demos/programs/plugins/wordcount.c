// wordcount.wasm: counts. Export: count (text in, {"lines":L,"words":W,"chars":C,"bytes":B} out).
// chars counts characters, not bytes: every byte but a UTF-8 continuation byte starts one.
#include "extism.h"

static int space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static size_t field(char *out, const char *name, uint64_t value) {
  size_t n = 0;
  out[n++] = '"';
  n += strlen(strcpy(out + n, name));
  out[n++] = '"';
  out[n++] = ':';
  return n + xt_utoa(value, out + n);
}

XT_EXPORT("count") int32_t count(void) {
  size_t len;
  char *text = xt_input(&len);
  if (!text) return xt_error("out of memory"), 1;
  uint64_t lines = 0, words = 0, chars = 0;
  int in_word = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n') lines++;
    if (((unsigned char)text[i] & 0xC0) != 0x80) chars++;
    if (space(text[i])) in_word = 0;
    else if (!in_word) in_word = 1, words++;
  }
  if (len > 0 && text[len - 1] != '\n') lines++; // a last line without its newline still counts
  free(text);
  char out[128];
  size_t n = 0;
  out[n++] = '{';
  n += field(out + n, "lines", lines);
  out[n++] = ',';
  n += field(out + n, "words", words);
  out[n++] = ',';
  n += field(out + n, "chars", chars);
  out[n++] = ',';
  n += field(out + n, "bytes", len);
  out[n++] = '}';
  xt_output(out, n);
  return 0;
}
