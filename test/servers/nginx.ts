import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

/** Where Debian's nginx package puts the binary. */
export const NGINX = '/usr/sbin/nginx';

/** Whether nginx is installed (the tests that need it skip, saying so, when it is not). */
export const hasNginx = existsSync(NGINX);

/** A running nginx serving `root` on 127.0.0.1. */
export interface NginxServer {
  /** The base URL, ending in `/`. */
  readonly url: string;
  readonly port: number;
  /** The folder served; files written there are served at once. */
  readonly root: string;
  stop(): Promise<void>;
  /** Lets the process exit while nginx runs (benchmarks, which have no hooks to stop it). */
  unref(): void;
}

/** Options of {@link startNginx}; the defaults give the server the Node tests have always used. */
export interface NginxOptions {
  /**
   * Answer CORS preflights (`OPTIONS` → 204 allowing the methods and request headers a
   * browser client sends: `Range`, `If-Match`, ...), as a page on another origin needs.
   * Also serves the same folder under `/unexposed/` with only `Content-Range` exposed, the
   * way a server that exposes too little looks to a page, and under `/gzip/` compressed on
   * the fly for clients that accept gzip. Default `false`.
   */
  readonly preflight?: boolean;
}

/** The headers a browser client on another origin may send (listed: `*` does not cover Authorization). */
export const CORS_REQUEST_HEADERS = 'Range, If-Match, If-Unmodified-Since, If-None-Match, Authorization, Content-Type';

/** The server-level lines that answer preflights, and the location that exposes too little. */
function preflightConfig(root: string): string {
  return `
    add_header Access-Control-Allow-Methods "GET, HEAD, PUT, DELETE, OPTIONS" always;
    add_header Access-Control-Allow-Headers "${CORS_REQUEST_HEADERS}" always;
    add_header Access-Control-Max-Age 600 always;
    if ($request_method = OPTIONS) { return 204; }
    # Compression on the fly, as many servers have for text: a ranged read must still get bytes as stored.
    location /gzip/ { alias ${root}/; gzip on; gzip_types text/plain application/octet-stream; gzip_min_length 0; }
    location /unexposed/ {
      alias ${root}/;
      add_header Access-Control-Allow-Origin * always;
      add_header Access-Control-Expose-Headers "Content-Range" always;
    }`;
}

/**
 * Starts nginx as a child process (no daemon, no master: it dies with the test) on a free
 * loopback port, serving a fresh temporary folder with byte ranges, ETags, WebDAV PUT and
 * DELETE, and CORS headers that expose what a browser client needs.
 */
export async function startNginx(options: NginxOptions = {}): Promise<NginxServer> {
  const prefix = mkdtempSync(join(tmpdir(), 'nativefile-nginx-'));
  const root = join(prefix, 'root');
  mkdirSync(root);
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `
daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    dav_methods PUT DELETE;
    create_full_put_path on;
    add_header Access-Control-Allow-Origin * always;
    add_header Access-Control-Expose-Headers "ETag, Content-Range, Content-Length, Accept-Ranges, Last-Modified" always;
    # A server that ignores Range (answers 200 with the whole body), as some dynamic ones do.
    location /norange/ { max_ranges 0; }${options.preflight === true ? preflightConfig(root) : ''}
  }
}
`,
  );
  // nginx runs under a shell that kills it when our end of its stdin closes: on stop(), and
  // also when this process dies without cleaning up (a killed benchmark or test worker).
  // (A background job's stdin is /dev/null, so the watcher reads a copy of it made first.)
  const script = `exec 3<&0; "${NGINX}" -c "${conf}" -p "${prefix}" & pid=$!; (read _ <&3; kill $pid 2>/dev/null) & wait $pid`;
  const child: ChildProcess = spawn('/bin/sh', ['-c', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => {
        throw new Error(`nginx exited: ${stderr}`);
      }),
    ]);
  } catch (error) {
    child.stdin?.end();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    root,
    unref() {
      child.unref();
      child.stderr?.destroy();
      (child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
    },
    async stop() {
      child.stdin?.end();
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
