// filter.wasm: redacts the words the page bans. It cannot know the list itself: for each word it
// asks the page's host function banned(word), which answers "1" or "0", and stars out a banned
// word letter for letter. Export: redact (text in, text out).
#include "extism.h"

XT_USER("banned") xt_handle banned(xt_handle word);

// Letters, digits and apostrophes make a word; bytes of a multi-byte character do too, so that
// "café" is one word.
static int in_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
}

static int is_banned(const char *word, size_t n) {
  xt_handle request = xt_new_block(word, n);
  size_t len = 0;
  char *reply = xt_read_block(banned(request), &len);
  xt_free(request);
  int yes = reply && len == 1 && reply[0] == '1';
  free(reply);
  return yes;
}

XT_EXPORT("redact") int32_t redact(void) {
  size_t len;
  char *text = xt_input(&len);
  if (!text) return xt_error("out of memory"), 1;
  uint64_t asked = 0, redacted = 0;
  for (size_t i = 0; i < len;) {
    if (!in_word((unsigned char)text[i])) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < len && in_word((unsigned char)text[i])) i++;
    asked++;
    if (is_banned(text + start, i - start)) {
      redacted++;
      memset(text + start, '*', i - start);
    }
  }
  xt_output(text, len);
  free(text);
  char line[80] = "asked about ";
  size_t n = strlen(line);
  n += xt_utoa(asked, line + n);
  strcpy(line + n, " words, redacted ");
  n += strlen(line + n);
  xt_utoa(redacted, line + n);
  xt_log('i', line);
  return 0;
}
