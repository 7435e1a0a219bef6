/**
 * A request whose body is a `Blob`, sent with `node:http` or `node:https` instead of `fetch`.
 *
 * Node 20's `fetch` holds far more of a Blob body in memory than it sends at a time: 1 GiB sent
 * as 8 MiB slices of a file, 4 in flight, to a local server that discards them grew the process
 * by 116–135 MiB at 360–550 MB/s, and through `http.request` fed from each slice's stream by
 * 45–51 MiB at 520–600 MB/s. The S3 upload bench (bench/s3-upload.bench.ts) went from 161–179
 * to 225–249 MB/s. Only that difference is wanted here, so the rest behaves as `fetch` does for the requests
 * the stores send: no redirect is followed (a body is never sent twice), a network failure
 * rejects with `TypeError('fetch failed')` carrying the cause, an abort rejects with the
 * signal's reason and ends the body being read, and the answer is a `Response`.
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

/** Sends `init` with `body` to `url` through `http` (the module for the URL's protocol). */
export function sendBlob(http: HttpModule, stream: StreamModule, url: URL, init: RequestInit, body: Blob): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  headers['content-length'] ??= String(body.size);
  if (body.type !== '') headers['content-type'] ??= body.type;
  const method = init.method ?? 'POST';
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
      const answerHeaders = new Headers();
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2)
        answerHeaders.append(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
      const empty = method === 'HEAD' || NULL_BODY.has(status);
      if (empty) answer.resume();
      const content = empty ? null : (stream.Readable.toWeb(answer) as ReadableStream<Uint8Array>);
      resolve(new Response(content, { status, statusText: answer.statusMessage ?? '', headers: answerHeaders }));
    });
    request.on('error', failed);
    // The Blob streams in chunks as the socket drains; an error on either side ends both.
    stream.pipeline(stream.Readable.fromWeb(body.stream() as Parameters<typeof stream.Readable.fromWeb>[0]), request, (error) => {
      if (error) failed(error);
    });
  });
}
