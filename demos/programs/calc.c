// calc: an interactive calculator, to show a live stdin: each read waits until the page sends a
// line, so the program answers one line at a time while it runs.
//
// It prints a banner, then the prompt "> " (flushed, no newline), reads a line and prints the
// value of its expression, or "error: WHAT at column N"; then prompts again. "quit", or the end of
// the input (Ctrl-D), prints "bye" and exits 0. Given its whole input up front, it answers every
// line in turn just the same.
//
// Expressions: numbers (12, 3.5, .5, 1e3), + - * / % ^, parentheses and unary minus, computed in
// double precision: 7/2 is 3.5, % is the remainder with the sign of the dividend, ^ is the power
// and binds tightest, from the right (2^3^2 is 512, -2^2 is -4). A small recursive-descent parser:
//   expr  := term (('+' | '-') term)*
//   term  := unary (('*' | '/' | '%') unary)*
//   unary := ('-' | '+') unary | power
//   power := atom ('^' unary)?
//   atom  := NUMBER | '(' expr ')'
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200 // nesting limit, so that "((((…" cannot exhaust the stack

typedef struct {
  const char *s; // the line
  size_t pos;    // the next character to read
  int depth;     // current nesting of unary/parentheses
  int failed;    // set by fail(): the rest of the parse unwinds without looking further
  char error[200];
} Parser;

static void fail(Parser *p, size_t at, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = 1;
  char what[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(p->error, sizeof p->error, "%s at column %zu", what, at + 1);
}

static char peek(Parser *p) {
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\r') p->pos++;
  return p->s[p->pos];
}

// Names what stands at `pos` for an error message: 'x', "the end of the line" or a byte in hex.
static void unexpected(Parser *p, const char *expected) {
  unsigned char c = (unsigned char)peek(p);
  if (c == 0) fail(p, p->pos, "expected %s, found the end of the line", expected);
  else if (isprint(c)) fail(p, p->pos, "expected %s, found '%c'", expected, c);
  else fail(p, p->pos, "expected %s, found byte 0x%02x", expected, c);
}

static double expr(Parser *p);
static double unary(Parser *p);

// NUMBER := (digits ['.' [digits]] | '.' digits) [('e' | 'E') ['+' | '-'] digits]
static double number(Parser *p) {
  size_t start = p->pos, i = start, digits = 0;
  while (isdigit((unsigned char)p->s[i])) i++, digits++;
  if (p->s[i] == '.') {
    i++;
    while (isdigit((unsigned char)p->s[i])) i++, digits++;
  }
  if (digits == 0) {
    unexpected(p, "a number or '('");
    return 0;
  }
  if (p->s[i] == 'e' || p->s[i] == 'E') {
    size_t j = i + 1;
    if (p->s[j] == '+' || p->s[j] == '-') j++;
    if (!isdigit((unsigned char)p->s[j])) {
      fail(p, j, "expected the digits of an exponent");
      return 0;
    }
    while (isdigit((unsigned char)p->s[j])) j++;
    i = j;
  }
  char text[1024]; // just the scanned span (as long as a line at most): strtod would read "0x1f" whole
  memcpy(text, p->s + start, i - start);
  text[i - start] = 0;
  double v = strtod(text, NULL);
  if (!isfinite(v)) fail(p, start, "number too large");
  p->pos = i;
  return v;
}

static double atom(Parser *p) {
  if (peek(p) != '(') return number(p);
  size_t open = p->pos++;
  if (++p->depth > MAX_DEPTH) {
    fail(p, open, "too deeply nested");
    return 0;
  }
  double v = expr(p);
  p->depth--;
  if (p->failed) return 0;
  if (peek(p) != ')') {
    char want[64];
    snprintf(want, sizeof want, "')' to match the '(' at column %zu", open + 1);
    unexpected(p, want);
    return 0;
  }
  p->pos++;
  return v;
}

// Applies a binary operator; `at` is its column, for the error message.
static double apply(Parser *p, char op, double a, double b, size_t at) {
  double r = 0;
  switch (op) {
  case '+': r = a + b; break;
  case '-': r = a - b; break;
  case '*': r = a * b; break;
  case '/':
  case '%':
    if (b == 0) {
      fail(p, at, "division by zero");
      return 0;
    }
    r = op == '/' ? a / b : fmod(a, b);
    break;
  case '^':
    if (a == 0 && b < 0) {
      fail(p, at, "division by zero");
      return 0;
    }
    r = pow(a, b);
    if (isnan(r)) {
      fail(p, at, "no real result");
      return 0;
    }
    break;
  }
  if (!isfinite(r)) fail(p, at, "result too large");
  return r;
}

static double power(Parser *p) {
  double base = atom(p);
  if (p->failed || peek(p) != '^') return base;
  size_t at = p->pos++;
  double exponent = unary(p); // right-associative, and allows 2^-1
  return p->failed ? 0 : apply(p, '^', base, exponent, at);
}

static double unary(Parser *p) {
  char c = peek(p);
  if (c != '-' && c != '+') return power(p);
  size_t at = p->pos++;
  if (++p->depth > MAX_DEPTH) {
    fail(p, at, "too deeply nested");
    return 0;
  }
  double v = unary(p);
  p->depth--;
  return c == '-' ? -v : v;
}

static double term(Parser *p) {
  double v = unary(p);
  for (char c; !p->failed && ((c = peek(p)) == '*' || c == '/' || c == '%');) {
    size_t at = p->pos++;
    double rhs = unary(p);
    if (!p->failed) v = apply(p, c, v, rhs, at);
  }
  return v;
}

static double expr(Parser *p) {
  double v = term(p);
  for (char c; !p->failed && ((c = peek(p)) == '+' || c == '-');) {
    size_t at = p->pos++;
    double rhs = term(p);
    if (!p->failed) v = apply(p, c, v, rhs, at);
  }
  return v;
}

// Evaluates one line and prints its value or the error.
static void evaluate(const char *line) {
  Parser p = {.s = line};
  double v = expr(&p);
  if (!p.failed && peek(&p) != 0) unexpected(&p, "an operator");
  if (p.failed) {
    printf("error: %s\n", p.error);
    return;
  }
  if (v == 0) v = 0; // no "-0"
  // Whole numbers that a double holds exactly print as integers, the others with 15 digits.
  if (v == floor(v) && fabs(v) <= 9007199254740992.0) printf("%lld\n", (long long)v);
  else printf("%.15g\n", v);
}

static int blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r') s++;
  return *s == 0;
}

int main(void) {
  char line[1024];
  printf("calc: + - * / %% ^ and ( ); type quit or press Ctrl-D to leave\n");
  for (;;) {
    fputs("> ", stdout);
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) {
      fputs("\n", stdout); // the end of the input leaves the cursor after the prompt
      break;
    }
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
    else if (n == sizeof line - 1) { // longer than the buffer: skip the rest of it
      int c;
      while ((c = getchar()) != EOF && c != '\n') {}
      printf("error: line longer than %zu bytes\n", sizeof line - 2);
      fflush(stdout);
      continue;
    }
    const char *s = line;
    while (*s == ' ' || *s == '\t') s++;
    if (strncmp(s, "quit", 4) == 0 && blank(s + 4)) break;
    if (!blank(s)) evaluate(line);
    fflush(stdout);
  }
  printf("bye\n");
  return 0;
}
