import { dirname, relative } from 'node:path/posix';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** COOP/COEP make pages cross-origin isolated, so SharedArrayBuffer and shared wasm memory work. */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const WORKER_SOURCE = "new URL('../../worker/index.ts', import.meta.url)";
const PLACEHOLDER = '__NATIVEFILE_WORKER_URL__';

/**
 * The library build starts the IO worker from `new URL('./worker.js', import.meta.url)`: the
 * worker entry's own file next to the built code, so it resolves wherever the package is
 * installed and the app's bundler (which looks for exactly this pattern) bundles it. Vite
 * would otherwise bundle the worker a second time as an asset; a placeholder hides the
 * pattern from it until the chunk is written.
 */
function relativeWorkerUrl(): Plugin {
  return {
    name: 'nativefile:relative-worker-url',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/opfs/default-worker.ts')) return null;
      if (!code.includes(WORKER_SOURCE)) this.error(`default-worker.ts no longer contains ${WORKER_SOURCE}`);
      // One expression on one line changes: the source map stays right to the line.
      return { code: code.replace(WORKER_SOURCE, PLACEHOLDER), map: null };
    },
    renderChunk(code, chunk) {
      if (!code.includes(PLACEHOLDER)) return null;
      const path = relative(dirname(chunk.fileName), 'worker.js');
      return {
        code: code.replace(PLACEHOLDER, `new URL('${path.startsWith('.') ? path : `./${path}`}', import.meta.url)`),
        map: null,
      };
    },
  };
}

export default defineConfig({
  plugins: [relativeWorkerUrl()],
  server: { headers: crossOriginIsolation, host: '127.0.0.1' },
  preview: { headers: crossOriginIsolation, host: '127.0.0.1' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Class names survive (messages and stack traces name them); apps minify their own bundles.
    minify: false,
    lib: {
      // One worker file: the default worker of OpfsFile and the `nativefile/worker` export.
      entry: { index: 'src/index.ts', node: 'src/node.ts', worker: 'worker/index.ts' },
      formats: ['es'],
    },
    rollupOptions: {
      // Dependencies stay imports: the app installs and dedupes them.
      external: [/^node:/, 'fflate', 'aws4fetch', 'node-gyp-build'],
      // One file per module, so that an app's bundler drops whole modules it does not use
      // (package.json "sideEffects": false): in one shared chunk, esbuild and webpack keep
      // nearly all of it, and the IO worker and fflate are emitted for every app
      // (docs/bundle-sizes.md; budgets in .size-limit.mjs).
      output: { preserveModules: true, preserveModulesRoot: '.' },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // The suites run side by side on two shared cores (npm test, CI): there a test's time is
    // the machine's load, and 5 s turned passing tests into failures (Firefox's 40 rounds of
    // opening a reader and an atomic writer at once take 5.3 s when they run first). No test
    // asserts on its own duration; a hang still fails, 30 s later. Benchmarks measure speed.
    testTimeout: 30_000,
    // The garbage-collection tests call global.gc().
    execArgv: ['--expose-gc'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    // The built package runs as apps run it, in Node's own ES modules: through Vite's module
    // runner each imported binding is a getter call, which the benchmarks (they import
    // 'nativefile', the built package) would measure as the library's cost.
    server: { deps: { external: [/\/dist\//] } },
  },
});
