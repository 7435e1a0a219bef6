// A consumer app's Vite config. Only the headers are needed for the package itself (shared
// memory needs a cross-origin isolated page); everything else is Vite's defaults.
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  // Dev server: the dependency pre-bundler copies packages into node_modules/.vite/deps, which
  // breaks the package's `new URL('./worker.js', import.meta.url)`; excluding it keeps its files
  // where they are. NATIVEFILE_NO_EXCLUDE=1 drops this, to see whether apps still need it.
  optimizeDeps: process.env.NATIVEFILE_NO_EXCLUDE === '1' ? {} : { exclude: ['nativefile'] },
});
