// The playground's dev server and build (`npm run dev`, `npx vite build`, `npx vite preview`).
// Pages are served cross-origin isolated: that is what gives VM workers SharedArrayBuffer and
// Atomics.wait, on which a guest blocks without spinning (a realtime sleep, for one); without it
// such a sleep returns at once (see docs/architecture.md).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs, so a build works from any directory it is deployed under.
  base: './',
  // Plain files, no single-page fallback: a missing program or index.json is a 404, not index.html.
  appType: 'mpa',
  server: { port: 5173, headers: crossOriginIsolation },
  preview: { port: 4173, headers: crossOriginIsolation },
  // The VM worker is a module worker (`new Worker(new URL(...), { type: 'module' })`).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Its own directory: dist/ also holds the CLI build (scripts/build.mjs), which must survive.
    outDir: 'dist/playground',
    // The pages: the playground, the clang demo (its 105 MB of clang and sysroot are copied in as
    // assets) and the plugins demo (its plugins too). An object, so that a build given an input of
    // its own (the bench's) replaces it whole.
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        clang: fileURLToPath(new URL('demos/clang.html', import.meta.url)),
        plugins: fileURLToPath(new URL('demos/plugins.html', import.meta.url)),
      },
    },
  },
  // Pre-bundle the worker's dependencies with the page's, so that the first run does not trigger
  // a dependency re-optimisation (which reloads the page).
  optimizeDeps: { entries: ['index.html', 'src/worker/browser-entry.ts'] },
});
