/**
 * WebKitGTK for the browser tests, launched directly: its WebDriver session is ephemeral and
 * has no OPFS, so MiniBrowser opens the page under `xvfb-run` (it has no headless mode) and the
 * page posts its results to the test server (see webkit-runner.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'vite';

/** Where Debian's webkit2gtk-4.1 puts MiniBrowser. */
const MINIBROWSER = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
].find((path) => existsSync(path));

/** OPFS, its writable streams and sync access handles are experimental features there. */
const FEATURES = '--features=+FileSystem,+StorageAPI,+FileSystemWritableStream,+AccessHandle';

/** Whether MiniBrowser and xvfb-run are installed. */
export const webkitAvailable = (): boolean => MINIBROWSER !== undefined && existsSync('/usr/bin/xvfb-run');

/** One message the page posted. */
export interface PageMessage {
  readonly event: 'start' | 'result' | 'done' | 'page-error';
  readonly index?: number;
  readonly name?: string;
  readonly value?: unknown;
  readonly error?: { name?: string; message?: string; code?: string };
  readonly userAgent?: string;
  readonly message?: string;
}

/** A Vite plugin taking the page's posts at `/__results`, handing each to `onMessage`. */
export function resultsEndpoint(onMessage: (message: PageMessage) => void): Plugin {
  const body = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => resolve(text));
      request.on('error', reject);
    });
  return {
    name: 'nativefile:webkit-results',
    configureServer(server) {
      server.middlewares.use('/__results', (request, response) => {
        void body(request).then((text) => {
          onMessage(JSON.parse(text) as PageMessage);
          response.statusCode = 204;
          response.end();
        });
      });
    },
  };
}

/** A running MiniBrowser; `close()` ends it, its display server and everything they started. */
export interface WebKitRun {
  readonly process: ChildProcess;
  close(): void;
}

/** Opens `url` in MiniBrowser on a virtual display, with a fresh profile in `dataDir`. */
export function openInWebKit(url: string, dataDir: string): WebKitRun {
  if (MINIBROWSER === undefined) throw new Error('MiniBrowser is not installed (apt-get install -y webkit2gtk-driver xvfb)');
  const child = spawn('xvfb-run', ['-a', MINIBROWSER, FEATURES, url], {
    // Its own process group, so close() ends Xvfb and WebKit's helper processes too.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // SharedArrayBuffer needs this even in a cross-origin isolated page; the data folders keep
    // runs apart. TMPDIR too: WebKitGTK leaves each createWritable()'s swap file there
    // (FileSystemWritableStream-*, a file's whole size), and the data folder is removed.
    env: { ...process.env, JSC_useSharedArrayBuffer: '1', XDG_DATA_HOME: dataDir, XDG_CACHE_HOME: dataDir, TMPDIR: dataDir },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`MiniBrowser exited with ${code}: ${stderr}`);
  });
  return {
    process: child,
    close() {
      const group = child.pid;
      if (group === undefined || child.exitCode !== null) return;
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-group, name);
        } catch {
          // already gone
        }
      };
      signal('SIGTERM');
      // A web process stuck in a crash (a removed iframe writing in a loop) outlives SIGTERM.
      setTimeout(() => signal('SIGKILL'), 3000).unref();
    },
  };
}
