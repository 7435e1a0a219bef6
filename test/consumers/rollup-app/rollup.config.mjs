// A consumer app's Rollup 4 config: what a Rollup user of the package needs, and no more.
// - @rollup/plugin-node-resolve finds 'nativefile' in node_modules by its exports' 'import'
//   and 'default' conditions (browser: true, as a browser app sets it, adds 'browser', which
//   nativefile does not use).
// - A worker plugin: Rollup itself does not bundle `new Worker(new URL('./x.js',
//   import.meta.url))`. It leaves the URL as written, so the package's IO worker
//   (`new URL('../../worker.js', import.meta.url)` in dist/src/opfs/default-worker.js) points
//   next to wherever the chunk holding that line lands, where nothing was emitted: every
//   OpfsFile.open from the page is IOError EWORKER. Off-main-thread (OMT) emits each such
//   worker as a chunk of its own and rewrites the URL to it; in 'es' output the worker chunks
//   import the shared chunks like any module. OMT does not see `new SharedWorker(...)`: the
//   app's SharedWorker is an input of its own, named so that its URL stays right.
// - terser, as production builds minify.
// NATIVEFILE_NO_WORKER_PLUGIN=1 builds without OMT into dist-no-worker-plugin/ (the test shows
// what that build leaves dangling).
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import OMT from '@surma/rollup-plugin-off-main-thread';

const withoutWorkerPlugin = process.env.NATIVEFILE_NO_WORKER_PLUGIN === '1';
const outDir = withoutWorkerPlugin ? 'dist-no-worker-plugin' : 'dist';
/** A path next to this config, wherever rollup runs from. */
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Rollup never empties its output folder: a rebuild would keep the last build's hashed chunks. */
const clean = {
  name: 'clean',
  buildStart() {
    rmSync(here(outDir), { recursive: true, force: true });
  },
};

/** index.html next to the bundle (no html plugin: the page is written by hand). */
const indexHtml = {
  name: 'index-html',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'index.html', source: readFileSync(here('index.html'), 'utf8') });
  },
};

export default {
  input: {
    main: here('main.js'),
    'opfs-shared': here('opfs-shared.js'),
    ...(withoutWorkerPlugin ? { 'opfs-worker': here('opfs-worker.js') } : {}),
  },
  output: {
    dir: here(outDir),
    format: 'es',
    // Entries keep their names: index.html loads ./main.js, and the page starts ./opfs-shared.js.
    entryFileNames: '[name].js',
  },
  plugins: [
    clean,
    nodeResolve({ browser: true }),
    // 'es' output: the browsers this app targets all run module workers.
    ...(withoutWorkerPlugin ? [] : [OMT({ silenceESMWorkerWarning: true })]),
    terser(),
    indexHtml,
  ],
};
