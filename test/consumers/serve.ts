/**
 * Serving the built fixture apps: a small static server (with or without the COOP/COEP
 * headers that make a page cross-origin isolated), and the fixture's own Vite dev server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { childEnv } from './fixtures.js';

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css',
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 (a free port), adding `headers` to every response. */
export async function serveStatic(dir: string, headers: Record<string, string>): Promise<Served> {
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const path = normalize(join(dir, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    // Nothing outside the served folder, whatever the request path says.
    if (path !== dir && !path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) {
      response.writeHead(403, headers).end();
      return;
    }
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      response.writeHead(404, headers).end(`not found: ${pathname}`);
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': contentTypes[extname(path)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store',
    });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free TCP port on 127.0.0.1 (for a child server that must be told its port). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts the fixture's Vite dev server (its own vite and config) and waits until it answers. */
export async function startViteDev(dir: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(dir, 'node_modules/vite/bin/vite.js'), '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { cwd: dir, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Uint8Array) => void (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Uint8Array) => void (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite dev exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vite dev did not answer on ${url} within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
