// The playground's dev server and build (`npm run dev`, `npx vite build`, `npx vite preview`).
// Pages are served cross-origin isolated: that is what gives VM workers SharedArrayBuffer and
// Atomics.wait, on which a guest blocks without spinning (a realtime sleep, for one); without it
// such a sleep returns at once (see docs/architecture.md).
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
  // Its own directory: dist/ also holds the CLI build (scripts/build.mjs), which must survive.
  build: { target: 'es2022', outDir: 'dist/playground' },
  // Pre-bundle the worker's dependencies with the page's, so that the first run does not trigger
  // a dependency re-optimisation (which reloads the page).
  optimizeDeps: { entries: ['index.html', 'src/worker/browser-entry.ts'] },
});
