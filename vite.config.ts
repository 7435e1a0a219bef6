import { defineConfig } from 'vitest/config';

/** COOP/COEP make pages cross-origin isolated, so SharedArrayBuffer and shared wasm memory work. */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: crossOriginIsolation, host: '127.0.0.1' },
  preview: { headers: crossOriginIsolation, host: '127.0.0.1' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', node: 'src/node.ts', worker: 'worker/index.ts' },
      formats: ['es'],
    },
    rollupOptions: { external: [/^node:/, 'comlink', 'web-streams-polyfill'] },
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // The garbage-collection tests call global.gc().
    execArgv: ['--expose-gc'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
});
