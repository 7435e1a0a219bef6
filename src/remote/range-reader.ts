/**
 * One byte range of a remote object read straight into the caller's memory, with retries
 * that resume from the last byte received: a body cut off after 3 of 8 MiB asks only for
 * the remaining 5. Every backend (HTTP, S3, WebHDFS) reads through here.
 * @module
 */
import { IOError } from '../errors.js';
import { discardBody, readBodyInto } from './body-reader.js';
import { failureOf, isRetryableStatus, networkError } from './http-errors.js';
import { parseRetryAfter, Transient, withRetries, type RetryPolicy } from './retry.js';
import { timeoutSignal } from './signals.js';
import type { RangeTransport } from './transport.js';

/** What every read of one file shares. */
export interface ReadContext {
  readonly transport: RangeTransport;
  readonly retry: RetryPolicy;
  /** Aborted when the caller's signal aborts or the file closes. */
  readonly signal: AbortSignal;
  /** Aborted when a close is asked: reads in flight then make no new attempt. */
  readonly closing?: AbortSignal;
  /** The object's size, known since open: a range past it is a bug of the caller. */
  readonly size: number;
}

/**
 * Fills `into` with the bytes at `offset` (the caller clamps it to the size, so a shorter
 * body is always a cut-off one).
 * @throws IOError `ESTALE` when the object changed, `EREMOTE` or `ECONNRESET` once the retries are spent.
 */
export async function readRangeInto(context: ReadContext, offset: number, into: Uint8Array): Promise<void> {
  const { transport, signal } = context;
  let filled = 0;
  await withRetries(
    context.retry,
    signal,
    async (madeProgress) => {
      const start = offset + filled;
      const length = into.byteLength - filled;
      const bounded = timeoutSignal(signal, context.retry.answerTimeout, transport.name);
      let response: Response;
      try {
        response = await transport.get(start, length, bounded.signal!);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (bounded.signal?.aborted) throw new Transient(bounded.signal.reason as IOError);
        throw new Transient(networkError(error, transport.name));
      } finally {
        bounded.clear();
      }
      if (!response.ok) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const error = await failureOf(response, transport.name, context.retry.answerTimeout, transport);
        if (isRetryableStatus(response.status)) throw new Transient(error, retryAfter);
        throw error;
      }
      checkAnswer(context, response, start, length);
      const body = await readBodyInto(response.body, into.subarray(filled), context.retry.answerTimeout);
      // More than the range holds: the body is not the range its status and headers say.
      if (body.overflow) {
        throw new IOError(`${transport.name} sent more than the ${length} bytes asked at ${start}: its body is not that range`, {
          code: 'EPROTO',
        });
      }
      filled += body.filled;
      // A server that sends a little then stalls, every time, makes no progress worth resetting
      // the retries for: a stall counts as a failure whatever came before it.
      if (body.filled > 0 && (body.error as IOError | undefined)?.code !== 'ETIMEDOUT') madeProgress();
      if (filled === into.byteLength) return;
      if (signal.aborted) throw signal.reason;
      const cut = new IOError(
        `the body from ${transport.name} stopped after ${filled} of ${into.byteLength} bytes at ${offset}`,
        {
          code: (body.error as IOError | undefined)?.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ECONNRESET',
          cause: body.error,
        },
      );
      throw new Transient(cut);
    },
    context.closing,
  );
}

/** Checks that a successful answer carries the bytes asked for, of the object opened. */
function checkAnswer(context: ReadContext, response: Response, start: number, length: number): void {
  const { transport, size } = context;
  const etag = response.headers.get('etag');
  if (transport.etag !== undefined && etag !== null && etag !== transport.etag) {
    discardBody(response);
    throw new IOError(`the remote file changed since it was opened (ETag ${transport.etag}, now ${etag}): ${transport.name}`, {
      code: 'ESTALE',
    });
  }
  if (!transport.partialContent) return;
  if (response.status !== 206) {
    discardBody(response);
    throw new IOError(`${transport.name} ignored the Range header (HTTP ${response.status} instead of 206)`, { code: 'ENOTSUP' });
  }
  const range = parseContentRange(response.headers.get('content-range'));
  // Without Content-Range (not exposed through CORS) the status alone vouches for the start.
  if (range === undefined) return;
  if (range.total !== undefined && range.total !== size) {
    discardBody(response);
    throw new IOError(`the remote file changed since it was opened (${size} bytes, now ${range.total}): ${transport.name}`, {
      code: 'ESTALE',
    });
  }
  if (range.start !== start || range.end > start + length - 1) {
    discardBody(response);
    throw new IOError(`${transport.name} answered bytes ${range.start}-${range.end} for ${start}-${start + length - 1}`, {
      code: 'EPROTO',
    });
  }
}

/** The parts of a `Content-Range: bytes a-b/total` header (`total` may be `*`). */
export function parseContentRange(value: string | null): { start: number; end: number; total?: number } | undefined {
  const match = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return undefined;
  const total = match[3] === '*' ? undefined : Number(match[3]);
  const [start, end] = [Number(match[1]), Number(match[2])];
  // Past 2^53 - 1 a number no longer holds the value exactly: not a range to act on.
  if (![start, end, total ?? 0].every(Number.isSafeInteger)) return undefined;
  return { start, end, ...(total === undefined ? {} : { total }) };
}
