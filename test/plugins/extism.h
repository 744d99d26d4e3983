// extism.h: the Extism host ABI as seen from a C guest, and a few helpers on top.
//
// Our own small header for the test plugins in this directory (not Extism's C PDK).
//
// The model: the host keeps a memory of its own, outside the guest's linear memory, made of
// blocks. A block is named by a 64-bit handle; 0 means "no block". A handle plus a byte offset
// addresses a byte inside the block (load_u8(h + i)). The guest copies bytes across with the
// load_*/store_* imports, one or eight bytes at a time.
//
// A call: the host puts the input in a block, calls an export `int32_t name(void)`, and the
// export names its output block with output_set and, to fail, an error block with error_set.
// A non-zero return means failure too (hosts differ on whether a return code alone counts:
// see test/plugins/cases.ts).
//
// Handles are opaque: never do arithmetic on one except adding an offset inside its block.
// A block a var or the output refers to must not be freed by the guest (some hosts keep the
// block itself, not a copy).
#ifndef ZEROVM_TEST_EXTISM_H
#define ZEROVM_TEST_EXTISM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t xt_handle;

#define XT_ENV(name) __attribute__((import_module("extism:host/env"), import_name(name)))
#define XT_USER(name) __attribute__((import_module("extism:host/user"), import_name(name)))
#define XT_EXPORT(name) __attribute__((export_name(name)))

// ---- host memory -------------------------------------------------------------------------
XT_ENV("alloc") xt_handle xt_alloc(uint64_t len);          // a new block of len bytes
XT_ENV("free") void xt_free(xt_handle h);                  // drop a block
XT_ENV("length") uint64_t xt_length(xt_handle h);          // a block's length (0: not a block)
XT_ENV("length_unsafe") uint64_t xt_length_unsafe(xt_handle h); // the same, unchecked
XT_ENV("load_u8") uint8_t xt_load_u8(xt_handle at);        // at = handle + offset
XT_ENV("load_u64") uint64_t xt_load_u64(xt_handle at);     // little-endian
XT_ENV("store_u8") void xt_store_u8(xt_handle at, uint8_t v);
XT_ENV("store_u64") void xt_store_u64(xt_handle at, uint64_t v);

// ---- the call's input and result ---------------------------------------------------------
XT_ENV("input_length") uint64_t xt_input_length(void);
XT_ENV("input_offset") xt_handle xt_input_offset(void);     // the input's block (0 if none)
XT_ENV("input_load_u8") uint8_t xt_input_load_u8(uint64_t offset);   // offset within the input
XT_ENV("input_load_u64") uint64_t xt_input_load_u64(uint64_t offset);
XT_ENV("output_set") void xt_output_set(xt_handle at, uint64_t len);  // the call's output
XT_ENV("error_set") void xt_error_set(xt_handle h);                   // the call's error message

// ---- configuration, variables, HTTP, logs --------------------------------------------------
XT_ENV("config_get") xt_handle xt_config_get(xt_handle key);   // 0 if the key is not set
XT_ENV("var_get") xt_handle xt_var_get(xt_handle key);         // 0 if the var is not set
XT_ENV("var_set") void xt_var_set(xt_handle key, xt_handle value); // value 0 deletes
// request: a block of JSON {"url": ..., "method": ..., "headers": {...}}; body: a block or 0.
// Returns the response body's block (0 if none); the status comes from http_status_code().
XT_ENV("http_request") xt_handle xt_http_request(xt_handle request, xt_handle body);
XT_ENV("http_status_code") int32_t xt_http_status_code(void);
XT_ENV("log_info") void xt_log_info(xt_handle msg);
XT_ENV("log_debug") void xt_log_debug(xt_handle msg);
XT_ENV("log_warn") void xt_log_warn(xt_handle msg);
XT_ENV("log_error") void xt_log_error(xt_handle msg);

// ---- helpers ---------------------------------------------------------------------------------

// Writes n in decimal at out (NUL-terminated); returns the digits written. Lets a plugin format
// numbers without stdio, whose buffers pull in WASI imports.
static inline size_t xt_utoa(uint64_t n, char *out) {
  char tmp[20];
  size_t k = 0;
  do tmp[k++] = (char)('0' + n % 10); while (n /= 10);
  for (size_t i = 0; i < k; i++) out[i] = tmp[k - 1 - i];
  out[k] = 0;
  return k;
}

// Copies n bytes from host memory (at = handle + offset) into dst: 8 bytes a call, then the tail.
static inline void xt_load(xt_handle at, void *dst, size_t n) {
  uint8_t *d = dst;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = xt_load_u64(at + i);
    memcpy(d + i, &w, 8);
  }
  for (; i < n; i++) d[i] = xt_load_u8(at + i);
}

// Copies n bytes from src into host memory at `at`.
static inline void xt_store(xt_handle at, const void *src, size_t n) {
  const uint8_t *s = src;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    xt_store_u64(at + i, w);
  }
  for (; i < n; i++) xt_store_u8(at + i, s[i]);
}

// A new block holding a copy of n bytes (a block of 0 bytes when n is 0).
static inline xt_handle xt_new_block(const void *src, size_t n) {
  xt_handle h = xt_alloc(n);
  if (h && n) xt_store(h, src, n);
  return h;
}

static inline xt_handle xt_new_string(const char *s) { return xt_new_block(s, strlen(s)); }

// The whole input in a malloc'd buffer, NUL-terminated for convenience (the NUL is not
// counted in *len). NULL if malloc fails. Reads through input_load_*.
static inline char *xt_input(size_t *len) {
  size_t n = (size_t)xt_input_length();
  char *buf = malloc(n + 1);
  if (!buf) return NULL;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = xt_input_load_u64(i);
    memcpy(buf + i, &w, 8);
  }
  for (; i < n; i++) buf[i] = (char)xt_input_load_u8(i);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

// A block's bytes in a malloc'd, NUL-terminated buffer (NULL if h is 0 or malloc fails).
static inline char *xt_read_block(xt_handle h, size_t *len) {
  if (!h) return NULL;
  size_t n = (size_t)xt_length(h);
  char *buf = malloc(n + 1);
  if (!buf) return NULL;
  xt_load(h, buf, n);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

// Sets the call's output to a copy of n bytes.
static inline void xt_output(const void *src, size_t n) { xt_output_set(xt_new_block(src, n), n); }
static inline void xt_output_string(const char *s) { xt_output(s, strlen(s)); }

// Sets the call's error message. The export should then return non-zero.
static inline void xt_error(const char *message) { xt_error_set(xt_new_string(message)); }

// Logs one line. level: 'i'nfo, 'd'ebug, 'w'arn, 'e'rror.
static inline void xt_log(char level, const char *message) {
  xt_handle h = xt_new_string(message);
  switch (level) {
    case 'd': xt_log_debug(h); break;
    case 'w': xt_log_warn(h); break;
    case 'e': xt_log_error(h); break;
    default: xt_log_info(h); break;
  }
  xt_free(h);
}

// Config and vars by C string key. The returned block belongs to the host's bookkeeping:
// read it, do not free it (a var's block may be the var itself).
static inline xt_handle xt_config(const char *key) {
  xt_handle k = xt_new_string(key);
  xt_handle v = xt_config_get(k);
  xt_free(k);
  return v;
}

static inline xt_handle xt_var(const char *key) {
  xt_handle k = xt_new_string(key);
  xt_handle v = xt_var_get(k);
  xt_free(k);
  return v;
}

// Sets var `key` to a copy of n bytes; src NULL deletes it. The value's block becomes the var's
// (never free it); the key is copied by the host, so its block is freed here.
static inline void xt_set_var(const char *key, const void *src, size_t n) {
  xt_handle k = xt_new_string(key);
  xt_var_set(k, src ? xt_new_block(src, n) : 0);
  xt_free(k);
}

#endif
