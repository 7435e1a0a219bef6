/**
 * Starts the IO worker that ships with the package. The line below is the one pattern that
 * bundlers (Vite, webpack 5, Rollup's off-main-thread plugin) recognise as a worker: keep its
 * form. The library build rewrites its source path to the built worker's, relative to this
 * module (`'../../worker.js'`, see vite.config.ts), so it resolves wherever the package is
 * installed.
 * @module
 */

/** A new IO worker from this package's own worker module. */
export function startDefaultWorker(): Worker {
  return new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module' });
}
