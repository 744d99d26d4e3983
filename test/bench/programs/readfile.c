// A tiny guest that reads one small file, argv[1], and writes it to stdout: the image-30mb
// benchmark runs it on a file of a mounted tar image.
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 1;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 2;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) return 3;
    if (n == 0) return 0;
    if (write(1, buf, n) != n) return 4;
  }
}
