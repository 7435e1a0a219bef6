/** The Vite dev server the remote-file browser tests load their harness page from. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** COOP/COEP: the page is cross-origin isolated, so every cross-origin fetch must pass CORS. */
export const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** A dev server over the repository with `headers` on every answer. */
export async function startPageServer(headers: Record<string, string>): Promise<ViteDevServer> {
  // A dependency cache of its own: servers of other configurations (other test files, running at
  // the same time) re-optimize a shared one, and a page holding the old cache's URLs never loads.
  const cacheDir = mkdtempSync(join(tmpdir(), 'nativefile-vite-'));
  const server = await createServer({
    cacheDir,
    configFile: false,
    root,
    logLevel: 'error',
    // No watcher, no HMR: others edit src/ while the suite runs, and a reload mid-test
    // destroys the page ("Execution context was destroyed") and strands its uploads.
    server: { host: '127.0.0.1', port: 0, headers, hmr: false, watch: null },
    // Bundled up front: a dependency found later makes Vite re-optimize and reload the page.
    optimizeDeps: { include: ['comlink', 'aws4fetch', 'hyparquet'] },
  });
  server.httpServer?.once('close', () => rmSync(cacheDir, { recursive: true, force: true }));
  await server.listen();
  return server;
}

/** The URL of `path` on `server`. */
export const urlOf = (server: ViteDevServer, path: string): string =>
  `${server.resolvedUrls!.local[0]!.replace(/\/$/, '')}${path}`;
