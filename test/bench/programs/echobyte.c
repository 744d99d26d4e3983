// The live round trip: reads stdin one byte at a time and writes each straight back, with no
// stdio buffering, until end of input. The live-roundtrip benchmark feeds it a byte only once the
// page has seen the echo of the one before.
#include <unistd.h>

int main(void) {
  unsigned char c;
  for (;;) {
    ssize_t n = read(0, &c, 1);
    if (n == 0) return 0;
    if (n < 0 || write(1, &c, 1) != 1) return 1;
  }
}
