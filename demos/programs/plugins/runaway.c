// runaway.wasm: misbehaves by never returning. Export: translate, which claims to translate the
// text and spins forever instead: only its host's timeout (limits.timeout) ends it.
#include "extism.h"

XT_EXPORT("translate") int32_t translate(void) {
  volatile uint64_t spins = 0; // volatile: an empty loop would be undefined, and optimised away
  for (;;) spins++;
}
