/**
 * The `fetch` the stores and `HttpFile` use unless given one: the platform's, except that in
 * Node a request whose body is a `Blob` (an upload's part sent as a slice of a file) goes out
 * through `node:http`, which streams the Blob where Node's `fetch` first reads it whole
 * (node-blob-request.ts). That module loads on the first such request, and only in Node.
 * @module
 */
import { nodeBuiltin } from '../platform/node-builtin.js';
import type { FetchLike } from './transport.js';
import type { HttpModule, StreamModule } from './node-blob-request.js';

/**
 * Whether this is Node itself, whose `node:http` streams a request body: Bun, Deno and
 * Cloudflare's workerd offer `node:http` too, built on their own fetch.
 */
function isNode(): boolean {
  const runtime = globalThis as { Bun?: unknown; Deno?: unknown; navigator?: { userAgent?: string } };
  const agent = runtime.navigator?.userAgent;
  return runtime.Bun === undefined && runtime.Deno === undefined && (agent === undefined || agent.startsWith('Node.js'));
}

/** `fetch(input, init)`, with Blob bodies of PUT and POST requests sent through `node:http(s)` in Node. */
export const platformFetch: FetchLike = (input, init) => {
  const body = init?.body;
  const method = init?.method?.toUpperCase();
  const stream =
    body instanceof Blob && (method === 'PUT' || method === 'POST') && isNode()
      ? (nodeBuiltin('node:stream') as StreamModule | undefined)
      : undefined;
  if (stream !== undefined && (typeof input === 'string' || input instanceof URL) && URL.canParse(String(input))) {
    const url = new URL(input);
    const http =
      (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
        ? (nodeBuiltin(`node:${url.protocol.slice(0, -1)}`) as HttpModule | undefined)
        : undefined;
    if (http !== undefined) {
      return import('./node-blob-request.js').then(({ sendBlob }) => sendBlob(http, stream, url, init ?? {}, body as Blob));
    }
  }
  return fetch(input, init);
};
