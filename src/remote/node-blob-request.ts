/**
 * A request whose body is a `Blob`, sent with `node:http` or `node:https` instead of `fetch`.
 *
 * Node 20's `fetch` holds far more of a Blob body in memory than it sends at a time: 1 GiB sent
 * as 8 MiB slices of a file, 4 in flight, to a local server that discards them grew the process
 * by 116–135 MiB, and through `http.request` fed from each slice's stream by 45–51 MiB. In the
 * S3 upload bench (bench/s3-upload.bench.ts, 1 GiB to Ceph) the peak RSS growth went from
 * +72–105 MiB to +42–43 MiB. Only that difference is wanted here, so the rest behaves as
 * `fetch` does for the requests the stores send: no redirect is followed (a body is never sent
 * twice), the connection's headers are its own, a network failure or undici's timeouts
 * reject with `TypeError('fetch failed')` carrying the cause, an abort rejects with the
 * signal's reason and errors the body being read, and the answer is a `Response`.
 * @module
 */
import type * as Http from 'node:http';
import type * as Stream from 'node:stream';

/** What this takes of `node:http` or `node:https`. */
export type HttpModule = Pick<typeof Http, 'request'>;
/** What this takes of `node:stream`. */
export type StreamModule = Pick<typeof Stream, 'Readable' | 'pipeline'>;

/** Statuses whose `Response` has no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);
/** Headers that belong to the connection, which fetch sets itself and ignores from callers. */
const CONNECTION_HEADERS = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'expect', 'content-length'];

/**
 * How long a request may wait, as undici's defaults for `fetch`: for the connection, and for
 * any sign of life of the socket once connected (the answer, or the next bytes of its body).
 */
export interface BlobRequestTimeouts {
  readonly connect: number;
  readonly idle: number;
}

const UNDICI_TIMEOUTS: BlobRequestTimeouts = { connect: 10_000, idle: 300_000 };

/** Sends `init` with `body` to `url` through `http` (the module for the URL's protocol). */
export function sendBlob(
  http: HttpModule,
  stream: StreamModule,
  url: URL,
  init: RequestInit,
  body: Blob,
  timeouts: BlobRequestTimeouts = UNDICI_TIMEOUTS,
): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    if (!CONNECTION_HEADERS.includes(name)) headers[name] = value;
  });
  headers['content-length'] = String(body.size);
  if (body.type !== '') headers['content-type'] ??= body.type;
  const method = init.method ?? 'GET';
  return new Promise<Response>((resolve, reject) => {
    const failed = (cause: unknown) =>
      reject(signal?.aborted === true ? signal.reason : new TypeError('fetch failed', { cause }));
    const request = http.request(url, { method, headers, signal }, (answer) => {
      const status = answer.statusCode ?? 0;
      if (status < 200 || status > 599) {
        answer.destroy();
        failed(new Error(`the server answered with status ${status}`));
        return;
      }
      // An abort while the answer is read errors its body with the signal's reason, as fetch's.
      const abort = () => answer.destroy(signal?.reason as Error);
      signal?.addEventListener('abort', abort, { once: true });
      answer.once('close', () => signal?.removeEventListener('abort', abort));
      const answerHeaders = new Headers();
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2)
        answerHeaders.append(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
      const empty = method === 'HEAD' || NULL_BODY.has(status);
      if (empty) answer.resume();
      const content = empty ? null : (stream.Readable.toWeb(answer) as ReadableStream<Uint8Array>);
      resolve(new Response(content, { status, statusText: answer.statusMessage ?? '', headers: answerHeaders }));
    });
    request.on('error', failed);
    // No wait without an end: a server that never answers, or stops sending, fails the request.
    request.setTimeout(timeouts.idle, () =>
      request.destroy(new Error(`no sign of life from the server for ${timeouts.idle} ms`)),
    );
    request.once('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => request.destroy(new Error(`no connection within ${timeouts.connect} ms`)), timeouts.connect);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    // The Blob streams in chunks as the socket drains; an error on either side ends both.
    stream.pipeline(stream.Readable.fromWeb(body.stream() as Parameters<typeof stream.Readable.fromWeb>[0]), request, (error) => {
      if (error) failed(error);
    });
  });
}
