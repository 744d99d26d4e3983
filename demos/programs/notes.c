// notes: a small to-do list kept in a file, to show a volume: the playground mounts the volume
// "notes" at /data, so the list outlives the VM — each run starts with what the last one saved.
//
//   notes [FILE]     (FILE: /data/notes.txt by default)
//
// FILE is plain text, one note a line: "[ ] text", or "[x] text" once done (a line without the
// mark is a note not done). A missing FILE is an empty list. notes prints the prompt "notes> "
// (flushed, no newline), reads a command a line and answers it; every change is saved to FILE at
// once. "quit", or the end of the input, prints "bye" and exits 0 (so that a volume commits).
// A FILE that cannot be read or saved is named on stderr, and notes exits 1.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int done;
  char *text;
} Note;

static const char *file = "/data/notes.txt";
static Note *notes;
static size_t count, capacity;

static void fail(const char *what) {
  fprintf(stderr, "notes: cannot %s %s: %s\n", what, file, strerror(errno));
  exit(1);
}

static void *checked(void *p) {
  if (!p) {
    fputs("notes: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

static void push(int done, const char *text) {
  if (count == capacity) {
    capacity = capacity ? capacity * 2 : 16;
    notes = checked(realloc(notes, capacity * sizeof *notes));
  }
  notes[count++] = (Note){.done = done, .text = checked(strdup(text))};
}

// Drops the line's end ("\n", "\r\n") and trailing blanks in place; returns the line.
static char *chomp(char *line) {
  size_t n = strlen(line);
  while (n > 0 && strchr("\n\r \t", line[n - 1])) line[--n] = 0;
  return line;
}

static void load(void) {
  FILE *f = fopen(file, "r");
  if (!f) {
    if (errno == ENOENT) return; // no list yet
    fail("read");
  }
  char *line = NULL;
  size_t size = 0;
  while (getline(&line, &size, f) != -1) {
    chomp(line);
    if (strncmp(line, "[x] ", 4) == 0) push(1, line + 4);
    else if (strncmp(line, "[ ] ", 4) == 0) push(0, line + 4);
    else if (line[0] != 0) push(0, line);
  }
  if (ferror(f)) fail("read");
  free(line);
  fclose(f);
}

static void save(void) {
  FILE *f = fopen(file, "w");
  if (!f) fail("save");
  for (size_t i = 0; i < count; i++) fprintf(f, "[%c] %s\n", notes[i].done ? 'x' : ' ', notes[i].text);
  if (fclose(f) != 0) fail("save");
}

static void list(void) {
  if (count == 0) puts("no notes");
  for (size_t i = 0; i < count; i++) printf("%zu. [%c] %s\n", i + 1, notes[i].done ? 'x' : ' ', notes[i].text);
}

static void done(const char *arg) {
  if (*arg == 0) {
    puts("done which? done N");
    return;
  }
  char *end;
  errno = 0;
  unsigned long n = strtoul(arg, &end, 10);
  if (*arg < '0' || *arg > '9' || *end != 0 || errno != 0 || n == 0 || n > count) {
    if (count == 0) printf("no note %s: the list is empty\n", arg);
    else printf("no note %s: give a number from 1 to %zu\n", arg, count);
    return;
  }
  notes[n - 1].done = 1;
  save();
  printf("done %lu: %s\n", n, notes[n - 1].text);
}

// Removes the notes that are done, keeping the others in order.
static void clear(void) {
  size_t kept = 0;
  for (size_t i = 0; i < count; i++) {
    if (notes[i].done) free(notes[i].text);
    else notes[kept++] = notes[i];
  }
  size_t removed = count - kept;
  count = kept;
  if (removed > 0) save();
  printf("cleared %zu done %s\n", removed, removed == 1 ? "note" : "notes");
}

static void help(void) {
  puts("add TEXT   adds a note\n"
       "list       lists the notes, numbered\n"
       "done N     marks note N done\n"
       "clear      removes the notes that are done\n"
       "help       shows this\n"
       "quit       leaves (so does Ctrl-D)");
}

// The command word of `line` is matched whole; `arg` is what follows it, without leading blanks.
static int command(const char *line, const char *word, const char **arg) {
  size_t n = strlen(word);
  if (strncmp(line, word, n) != 0 || (line[n] != 0 && line[n] != ' ' && line[n] != '\t')) return 0;
  *arg = line + n + strspn(line + n, " \t");
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 2) {
    fputs("usage: notes [FILE]\n", stderr);
    return 2;
  }
  if (argc == 2) file = argv[1];
  load();
  printf("notes: %zu %s in %s; type help for the commands\n", count, count == 1 ? "note" : "notes", file);
  char *line = NULL;
  size_t size = 0;
  for (;;) {
    fputs("notes> ", stdout);
    fflush(stdout);
    if (getline(&line, &size, stdin) == -1) {
      fputs("\n", stdout); // the end of the input leaves the cursor after the prompt
      break;
    }
    const char *s = chomp(line), *arg;
    s += strspn(s, " \t");
    if (*s == 0) continue;
    if (command(s, "quit", &arg)) break;
    if (command(s, "add", &arg)) {
      if (*arg == 0) puts("add what? add TEXT");
      else {
        push(0, arg);
        save();
        printf("added %zu: %s\n", count, arg);
      }
    } else if (command(s, "list", &arg)) list();
    else if (command(s, "done", &arg)) done(arg);
    else if (command(s, "clear", &arg)) clear();
    else if (command(s, "help", &arg)) help();
    else printf("unknown command: %s (type help)\n", s);
    fflush(stdout);
  }
  puts("bye");
  return 0;
}
