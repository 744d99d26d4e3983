// plugin.wasm: the ordinary test plugin, one export per behaviour (see cases.ts).
// Imports only extism:host/env: no user host functions, no WASI (no stdio: numbers go through
// xt_utoa), so it loads with or without WASI.
#include "extism.h"

#define EXPORT(name) XT_EXPORT(#name) int32_t name(void)

static const char VOWELS[] = "aeiouAEIOU";

// A var holding a decimal number (0 when unset or unreadable).
static uint64_t var_number(const char *key) {
  char *text = xt_read_block(xt_var(key), NULL);
  uint64_t n = text ? strtoull(text, NULL, 10) : 0;
  free(text);
  return n;
}

static void set_var_number(const char *key, uint64_t n) {
  char text[24];
  xt_set_var(key, text, xt_utoa(n, text));
}

// input: text. output: {"count":N,"total":T,"vowels":"aeiouAEIOU"}; T sums N over the calls
// this plugin has seen, kept in var "total".
EXPORT(count_vowels) {
  size_t len;
  char *in = xt_input(&len);
  if (!in) return xt_error("out of memory"), 1;
  uint64_t count = 0;
  for (size_t i = 0; i < len; i++)
    if (in[i] && strchr(VOWELS, in[i])) count++;
  free(in);
  uint64_t total = var_number("total") + count;
  set_var_number("total", total);
  char out[96] = "{\"count\":";
  size_t n = strlen(out);
  n += xt_utoa(count, out + n);
  strcpy(out + n, ",\"total\":");
  n += strlen(out + n);
  n += xt_utoa(total, out + n);
  strcpy(out + n, ",\"vowels\":\"aeiouAEIOU\"}");
  xt_output_string(out);
  return 0;
}

// output = input, byte for byte.
EXPORT(echo) {
  size_t len;
  char *in = xt_input(&len);
  if (!in) return xt_error("out of memory"), 1;
  xt_output(in, len);
  free(in);
  return 0;
}

// output = input's bytes in reverse order.
EXPORT(reverse) {
  size_t len;
  char *in = xt_input(&len);
  if (!in) return xt_error("out of memory"), 1;
  for (size_t i = 0, j = len ? len - 1 : 0; i < j; i++, j--) {
    char c = in[i];
    in[i] = in[j];
    in[j] = c;
  }
  xt_output(in, len);
  free(in);
  return 0;
}

// input: a config key. output: its value; an error naming the key when it is not set.
EXPORT(config) {
  char *key = xt_input(NULL);
  if (!key) return xt_error("out of memory"), 1;
  xt_handle value = xt_config(key);
  if (!value) {
    char *msg = malloc(strlen(key) + 32);
    strcpy(msg, "no config key: ");
    strcat(msg, key);
    free(key);
    xt_error(msg);
    free(msg);
    return 1;
  }
  free(key);
  size_t n;
  char *text = xt_read_block(value, &n);
  xt_output(text, n);
  free(text);
  return 0;
}

// Increments var "count" (decimal text) and outputs the new value.
EXPORT(vars) {
  uint64_t n = var_number("count") + 1;
  set_var_number("count", n);
  char out[24];
  xt_output(out, xt_utoa(n, out));
  return 0;
}

// Deletes var "count" (var_set with value 0); outputs "deleted".
EXPORT(var_delete) {
  xt_set_var("count", NULL, 0);
  xt_output_string("deleted");
  return 0;
}

// Increments a C global and outputs it: counts the calls one instance has seen.
static uint64_t calls;
EXPORT(counter) {
  char out[24];
  xt_output(out, xt_utoa(++calls, out));
  return 0;
}

// A constructor runs only if the host runs the reactor's _initialize. (volatile: otherwise the
// compiler folds the constructor into the variable's initial value and it is "run" regardless.)
static volatile int constructed;
__attribute__((constructor)) static void construct(void) { constructed = 1; }
EXPORT(ctor_ran) {
  xt_output_string(constructed ? "yes" : "no");
  return 0;
}

// One line at each level, then the output "logged".
EXPORT(logs) {
  xt_log('i', "an info line");
  xt_log('d', "a debug line");
  xt_log('w', "a warn line");
  xt_log('e', "an error line");
  xt_output_string("logged");
  return 0;
}

// An error message and a non-zero return.
EXPORT(fail) {
  xt_error("this plugin failed on purpose");
  return 1;
}

// A non-zero return with no message.
EXPORT(fail_code) { return 3; }

// An error message with a zero return.
EXPORT(error_zero) {
  xt_error("error set, but returned 0");
  return 0;
}

// output_set naming part of a block: "world" of "hello world".
EXPORT(output_slice) {
  xt_handle h = xt_new_string("hello world");
  xt_output_set(h + 6, 5);
  return 0;
}

// Returns without output_set.
EXPORT(no_output) { return 0; }

// An output of zero bytes.
EXPORT(empty_output) {
  xt_output_set(xt_alloc(0), 0);
  return 0;
}

// Reports the input's length as input_length() and as length(input_offset()).
EXPORT(input_info) {
  char out[80] = "input_length=";
  size_t n = strlen(out);
  n += xt_utoa(xt_input_length(), out + n);
  strcpy(out + n, " length(input_offset)=");
  n += strlen(out + n);
  xt_utoa(xt_length(xt_input_offset()), out + n);
  xt_output_string(out);
  return 0;
}

// Writes s into a JSON string literal (quotes included) at out; returns the bytes written.
static size_t json_string(char *out, const char *s) {
  char *o = out;
  *o++ = '"';
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') *o++ = '\\';
    *o++ = *s;
  }
  *o++ = '"';
  *o = 0;
  return (size_t)(o - out);
}

// Makes the request and outputs "<status>\n<body>".
static int32_t http(const char *method, const char *headers, const char *body) {
  char *url = xt_input(NULL);
  if (!url) return xt_error("out of memory"), 1;
  char *req = malloc(strlen(url) * 2 + strlen(method) + strlen(headers) + 64);
  strcpy(req, "{\"method\":\"");
  strcat(req, method);
  strcat(req, "\",\"headers\":");
  strcat(req, headers);
  strcat(req, ",\"url\":");
  char *p = req + strlen(req);
  p += json_string(p, url);
  strcpy(p, "}");
  free(url);
  xt_handle req_block = xt_new_string(req);
  free(req);
  xt_handle body_block = body ? xt_new_string(body) : 0;
  xt_handle res = xt_http_request(req_block, body_block);
  int32_t status = xt_http_status_code();
  size_t n = 0;
  char *text = xt_read_block(res, &n);
  char *out = malloc(n + 16);
  size_t head = xt_utoa(status < 0 ? 0 : (uint64_t)status, out);
  out[head++] = '\n';
  if (text) memcpy(out + head, text, n);
  xt_output(out, head + n);
  free(text);
  free(out);
  return 0;
}

// input: a URL. A GET with no headers.
EXPORT(http_get) { return http("GET", "{}", NULL); }

// input: a URL. A POST with a header and a body.
EXPORT(http_post) {
  return http("POST", "{\"X-Test\":\"zerovm\",\"Content-Type\":\"text/plain\"}", "ping from the plugin");
}

// Traps: unreachable.
EXPORT(trap) { __builtin_trap(); }

// Traps: a load far past the end of linear memory.
EXPORT(oob) {
  volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)0xfffffff0u;
  xt_output_string(*p ? "nonzero" : "zero");
  return 0;
}
