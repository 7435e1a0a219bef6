/**
 * Streams a response body into the caller's memory: each network chunk is copied straight
 * into its place in the destination view, so a ranged read never holds the whole body twice.
 * (A BYOB reader would avoid even that copy but transfers, and so detaches, the caller's
 * buffer, and cannot read into a SharedArrayBuffer.)
 * @module
 */
import { IOError } from '../errors.js';
import { concat } from '../util/concat.js';

/** What {@link readBodyInto} got. */
export interface BodyResult {
  /** Bytes written at the start of the view. */
  readonly filled: number;
  /** Whether the body had more bytes than the view holds (they were dropped). */
  readonly overflow: boolean;
  /** Why the body stopped before it ended (a cut connection, an abort), if it did. */
  readonly error?: unknown;
}

/**
 * Drops a response's body without reading it, so its connection can be reused or closed.
 * Cancelling a body that already failed rejects, and nothing else would handle that.
 */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => {});
}

/** `error` itself when it is an Error, else an IOError carrying it (streams may fail with anything). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new IOError(`the response body failed: ${String(error)}`, { cause: error });
}

/**
 * Copies `body` into `into` until the body ends or `into` is full, or `idleTimeout` ms pass
 * without a byte. Never throws: a failure mid-way is returned with the count so far, so the
 * caller can resume from there.
 */
export async function readBodyInto(
  body: ReadableStream<Uint8Array> | null,
  into: Uint8Array,
  idleTimeout = 0,
): Promise<BodyResult> {
  if (body === null) return { filled: 0, overflow: false };
  const reader = body.getReader();
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, idleTimeout);
      if (done) return { filled, overflow: false };
      const count = Math.min(value.byteLength, into.byteLength - filled);
      into.set(value.subarray(0, count), filled);
      filled += count;
      if (count < value.byteLength) {
        await reader.cancel().catch(() => {});
        return { filled, overflow: true };
      }
    }
  } catch (error) {
    reader.cancel(error).catch(() => {});
    return { filled, overflow: false, error };
  } finally {
    reader.releaseLock();
  }
}

/**
 * The next chunk of `reader`, or a failure once `ms` milliseconds (0: no limit) pass without
 * one: a server that stops sending mid-body must not hang the read.
 */
function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (ms === 0) return reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IOError(`the body stalled: no bytes for ${ms} ms`, { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
}

/**
 * Reads a whole body of at most `limit` bytes, or fails once `idleTimeout` ms pass without a
 * byte (0: no limit); `undefined` when it is longer (the rest is dropped). Memory grows with
 * what arrives, not with `limit`.
 */
export async function readWholeBody(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  idleTimeout = 0,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of boundedChunks(body, idleTimeout, limit + 1)) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return total > limit ? undefined : concat(chunks, total);
}

/**
 * The chunks of `body`, failing once `idleTimeout` ms pass without one (0: no limit), and
 * ending after `maxBytes` (the last chunk cut there, the rest cancelled).
 */
async function* boundedChunks(
  body: ReadableStream<Uint8Array> | null,
  idleTimeout: number,
  maxBytes: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (body === null) return;
  const reader = body.getReader();
  let seen = 0;
  try {
    while (seen < maxBytes) {
      const { done, value } = await readWithin(reader, idleTimeout);
      if (done) return;
      const room = maxBytes - seen;
      seen += value.byteLength;
      yield value.byteLength > room ? value.subarray(0, room) : value;
    }
  } finally {
    // Ends a read left waiting by a stall, and drops what is left of a body cut at maxBytes.
    reader.cancel().catch(() => {});
  }
}

/** Statuses whose responses cannot be made with a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `response` with its body bounded as {@link boundedChunks} does, status and headers kept:
 * what reads the body whole (`text()`, a store's error parser) then cannot wait for ever on
 * a server that stalls, nor hold more than `maxBytes`.
 */
export function boundedResponse(response: Response, idleTimeout: number, maxBytes = Number.POSITIVE_INFINITY): Response {
  // `new Response` takes 200-599 only, and a body-less status no body.
  const { status } = response;
  if (response.body === null || NULL_BODY.has(status) || status < 200 || status > 599) return response;
  const chunks = boundedChunks(response.body, idleTimeout, maxBytes);
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // Nothing is read before the reader asks: a body nobody reads arms no idle timer.
    { highWaterMark: 0 },
  );
  const { statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
}
