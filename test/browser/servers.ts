/** The Vite dev servers the browser tests load pages from. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin, type ViteDevServer } from 'vite';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Fails exactly the load of the IO worker (browsers fetch worker scripts with `Sec-Fetch-Dest: worker`). */
const failWorkerLoads: Plugin = {
  name: 'fail-worker-loads',
  configureServer(server) {
    server.middlewares.use((request, response, next) => {
      if (request.headers['sec-fetch-dest'] === 'worker' && request.url?.startsWith('/worker/index.ts')) {
        response.statusCode = 404;
        response.end('no worker here');
        return;
      }
      next();
    });
  },
};

/**
 * A dev server over the repository with `headers` on every answer; `brokenWorker` 404s the IO
 * worker; `plugins` add to it (the WebKit run's results endpoint); `alias` maps imports (the
 * examples' `'nativefile'` to the sources).
 */
export async function startServer(
  headers: Record<string, string>,
  brokenWorker = false,
  plugins: Plugin[] = [],
  alias: Record<string, string> = {},
): Promise<ViteDevServer> {
  // A dependency cache of its own: servers of other configurations (other test files, running at
  // the same time) re-optimize a shared one, and a page holding the old cache's URLs never loads.
  const cacheDir = mkdtempSync(join(tmpdir(), 'nativefile-vite-'));
  const server = await createServer({
    cacheDir,
    configFile: false,
    root,
    logLevel: process.env.NATIVEFILE_VITE_LOG === '1' ? 'info' : 'error',
    plugins: brokenWorker ? [failWorkerLoads, ...plugins] : plugins,
    resolve: { alias },
    // No HMR: other work in the same tree would otherwise reload the pages under test.
    server: { host: '127.0.0.1', port: 0, headers, hmr: false, watch: null },
    optimizeDeps: { include: ['comlink'] },
  });
  server.httpServer?.once('close', () => rmSync(cacheDir, { recursive: true, force: true }));
  await server.listen();
  return server;
}

/** The URL of `path` on `server`. */
export const urlOf = (server: ViteDevServer, path: string): string =>
  `${server.resolvedUrls!.local[0]!.replace(/\/$/, '')}${path}`;
