// fsdemo: exercises the filesystem calls a WASI runtime offers, inside BASE/fsdemo, where BASE is
// argv[1] (default "."; wasi-libc resolves paths against the preopened directories, so BASE must
// be or lie under a preopen, e.g. "/sandbox" when that is preopened).
// Every step prints its result, including failures and their errno, and never aborts, so two
// runtimes can be compared line by line. Nothing time- or inode-dependent is printed, and
// directory listings are sorted, so the output is deterministic.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[1024]; // BASE/fsdemo

// Joins root and a relative name into a static buffer (one path in use at a time is enough).
static const char *at(const char *name) {
  static char buf[2][1100];
  static int turn;
  char *p = buf[turn ^= 1]; // two buffers: rename and link take two paths
  snprintf(p, sizeof buf[0], "%s/%s", root, name);
  return p;
}

// Prints "what: ok" or "what: <strerror>"; returns rc so callers may branch on it.
static int report(const char *what, int rc) {
  if (rc < 0) printf("%s: %s\n", what, strerror(errno));
  else printf("%s: ok\n", what);
  return rc;
}

static int write_file(const char *name, const char *data, size_t len, int flags) {
  int fd = open(at(name), O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, data, len);
  close(fd);
  return n == (ssize_t)len ? 0 : -1;
}

static void show_file(const char *name) {
  char buf[256];
  int fd = open(at(name), O_RDONLY);
  if (fd < 0) { printf("read %s: %s\n", name, strerror(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) { printf("read %s: %s\n", name, strerror(errno)); return; }
  buf[n] = '\0';
  printf("read %s: %zd bytes: \"%.*s\"\n", name, n, (int)strcspn(buf, "\n"), buf);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Lists `rel` (relative to root) depth-first, entries sorted by name: type, path, then the size
// for regular files and the target for symlinks (directory sizes differ between hosts).
static void list(const char *rel, int depth) {
  char path[1100];
  snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
  DIR *dir = opendir(path);
  if (!dir) { printf("opendir %s: %s\n", *rel ? rel : ".", strerror(errno)); return; }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dir)) && n < 64)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(dir);
  qsort(names, n, sizeof *names, by_name);
  for (int i = 0; i < n; i++) {
    char child[1100], full[1200];
    snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", names[i]);
    snprintf(full, sizeof full, "%s/%s", root, child);
    struct stat st;
    printf("%*s", 2 * depth, "");
    if (lstat(full, &st) < 0) printf("? %s: %s\n", child, strerror(errno));
    else if (S_ISDIR(st.st_mode)) printf("d %s/\n", child), list(child, depth + 1);
    else if (S_ISLNK(st.st_mode)) {
      char target[256];
      ssize_t len = readlink(full, target, sizeof target - 1);
      printf("l %s -> %.*s\n", child, (int)(len < 0 ? 0 : len), target);
    } else printf("f %s (%lld bytes)\n", child, (long long)st.st_size);
    free(names[i]);
  }
}

int main(int argc, char **argv) {
  const char *base = argc > 1 ? argv[1] : ".";
  snprintf(root, sizeof root, "%s/fsdemo", base);
  printf("fsdemo in %s\n", root);

  printf("-- create\n");
  if (report("mkdir fsdemo", mkdir(root, 0755)) < 0) return 1;
  report("mkdir sub", mkdir(at("sub"), 0755));
  report("mkdir sub/deep", mkdir(at("sub/deep"), 0755));
  report("mkdir sub (again)", mkdir(at("sub"), 0755)); // EEXIST
  const char hello[] = "hello, filesystem\n";
  report("write hello.txt", write_file("hello.txt", hello, strlen(hello), O_TRUNC));
  report("append hello.txt", write_file("hello.txt", "second line\n", 12, O_APPEND));
  char data[1000];
  for (int i = 0; i < (int)sizeof data; i++) data[i] = (char)('a' + i % 26);
  report("write sub/data.bin", write_file("sub/data.bin", data, sizeof data, O_TRUNC));
  report("write sub/deep/note.txt", write_file("sub/deep/note.txt", "deep\n", 5, O_TRUNC));
  report("exclusive create hello.txt", write_file("hello.txt", "x", 1, O_EXCL)); // EEXIST

  printf("-- links and renames\n");
  report("symlink link-to-hello -> hello.txt", symlink("hello.txt", at("link-to-hello")));
  report("symlink dangling -> missing.txt", symlink("missing.txt", at("dangling")));
  report("link hard.txt = hello.txt", link(at("hello.txt"), at("hard.txt"))); // may be unsupported
  report("rename sub/data.bin -> sub/renamed.bin", rename(at("sub/data.bin"), at("sub/renamed.bin")));
  report("rename missing.txt -> x", rename(at("missing.txt"), at("x"))); // ENOENT
  report("truncate sub/renamed.bin to 10", truncate(at("sub/renamed.bin"), 10));

  printf("-- tree\n");
  list("", 0);

  printf("-- read back\n");
  show_file("hello.txt");
  show_file("link-to-hello");
  show_file("hard.txt");
  show_file("sub/renamed.bin");
  show_file("dangling"); // ENOENT through a dangling link

  printf("-- remove\n");
  report("rmdir sub (not empty)", rmdir(at("sub")));
  report("unlink sub/deep/note.txt", unlink(at("sub/deep/note.txt")));
  report("rmdir sub/deep", rmdir(at("sub/deep")));
  report("unlink hard.txt", unlink(at("hard.txt")));
  report("unlink dangling", unlink(at("dangling")));
  report("unlink missing.txt", unlink(at("missing.txt"))); // ENOENT

  printf("-- tree\n");
  list("", 0);
  return 0;
}
