// dict: looks words up in a dictionary that the *page* holds, to show a call channel. The guest
// opens the device /dev/call/dict; the bytes it writes form a request, and its next read sends the
// request to a page function and waits for the reply, which it reads until read returns 0. The
// next write starts a new request. Raw open/read/write (not stdio), so no buffer reorders them.
//
// Each non-empty word of argv[1..] (or, with none, each non-empty line of stdin) is one request; the page
// answers with the definition, or an empty reply for an unknown word. Prints "word: definition"
// or "word: (not in the dictionary)" on stdout, one line per word. Exits 0; 1 if the channel
// fails midway; 2 (with a message on stderr) if /dev/call/dict cannot be opened.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHANNEL "/dev/call/dict"

static int channel;

// Sends `word` as one request and prints the reply; returns 0, or 1 if the channel failed.
static int lookup(const char *word) {
  size_t len = strlen(word);
  for (size_t done = 0; done < len;) { // the request: every byte of the word
    ssize_t n = write(channel, word + done, len - done);
    if (n < 0) {
      fprintf(stderr, "dict: %s: sending \"%s\": %s\n", CHANNEL, word, strerror(errno));
      return 1;
    }
    done += (size_t)n;
  }
  static char *reply;
  static size_t cap;
  size_t size = 0;
  for (;;) { // the reply: everything until read returns 0
    if (size == cap) {
      cap = cap ? cap * 2 : 256;
      reply = realloc(reply, cap);
      if (!reply) {
        fprintf(stderr, "dict: out of memory\n");
        exit(1);
      }
    }
    ssize_t n = read(channel, reply + size, cap - size);
    if (n < 0) {
      fprintf(stderr, "dict: %s: the reply to \"%s\": %s\n", CHANNEL, word, strerror(errno));
      return 1;
    }
    if (n == 0) break;
    size += (size_t)n;
  }
  while (size > 0 && (reply[size - 1] == '\n' || reply[size - 1] == '\r')) size--;
  if (size == 0) printf("%s: (not in the dictionary)\n", word);
  else printf("%s: %.*s\n", word, (int)size, reply);
  fflush(stdout); // each answer as soon as it is known
  return 0;
}

int main(int argc, char **argv) {
  channel = open(CHANNEL, O_RDWR);
  if (channel < 0) {
    fprintf(stderr, "dict: cannot open %s: %s (the page must offer a call channel named \"dict\")\n", CHANNEL,
            strerror(errno));
    return 2;
  }
  if (argc > 1) {
    for (int i = 1; i < argc; i++)
      if (argv[i][0] && lookup(argv[i])) return 1;
  } else {
    char line[1024];
    while (fgets(line, sizeof line, stdin)) {
      line[strcspn(line, "\r\n")] = 0;
      if (line[0] && lookup(line)) return 1;
    }
  }
  close(channel);
  return 0;
}
