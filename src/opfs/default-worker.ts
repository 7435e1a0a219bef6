/**
 * Starts the IO worker that ships with the package. The line below is the one pattern every
 * bundler recognises as a worker; the library build rewrites its source path to
 * `'./worker.js'` (see vite.config.ts), so it resolves next to the built code wherever the
 * package is installed.
 * @module
 */

/** A new IO worker from this package's own worker module. */
export function startDefaultWorker(): Worker {
  return new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module' });
}
