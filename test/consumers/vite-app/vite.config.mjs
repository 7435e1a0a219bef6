// A consumer app's Vite config. The package itself needs only the headers (shared memory needs a
// cross-origin isolated page); in particular no optimizeDeps.exclude: Vite 8's dependency
// pre-bundler rewrites the package's `new URL('./worker.js', import.meta.url)` to the original
// file, so the IO worker starts from node_modules/.vite/deps too. The test also runs the dev
// server with NATIVEFILE_EXCLUDE=1, the setup of apps that exclude the package anyway (its own
// cacheDir, so the two dev servers can run side by side).
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const exclude = process.env.NATIVEFILE_EXCLUDE === '1';

export default defineConfig({
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  ...(exclude ? { optimizeDeps: { exclude: ['nativefile'] }, cacheDir: 'node_modules/.vite-exclude' } : {}),
});
