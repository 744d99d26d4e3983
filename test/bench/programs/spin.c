// Never ends: for the time from a VM's timeout to its report (our runtime only; peers have no timeouts).
int main(void) {
  volatile unsigned long n = 0;
  for (;;) n++;
}
