// The one cipher seededRandom draws with, as its own module: loaded by import() (determinism.ts),
// and tree-shaken to ChaCha20 alone (the package's module also holds XChaCha, Poly1305 and more).
export { chacha20 } from '@noble/ciphers/chacha.js';
