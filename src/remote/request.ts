/**
 * One non-range request (metadata, listing, upload) with the same retries and error
 * mapping as the range reads.
 * @module
 */
import { IOError } from '../errors.js';
import { boundedResponse } from './body-reader.js';
import { failureOf, isRetryableStatus, networkError } from './http-errors.js';
import { parseRetryAfter, Transient, withRetries, type RetryPolicy } from './retry.js';
import { timeoutSignal } from './signals.js';

/** How {@link sendWithRetries} sends and judges a request. */
export interface RetriedRequest {
  /** For messages: the URL or object name. */
  readonly name: string;
  readonly retry: RetryPolicy;
  readonly signal?: AbortSignal | undefined;
  /** Sends one attempt (signing anew each time, since signatures carry the time). */
  send(signal: AbortSignal | undefined): Promise<Response>;
  /**
   * The body the request sends, if any. The attempt, sending and answer together, may then take
   * `retry.answerTimeout` and one more for each 256 KiB of it ({@link attemptTimeout}).
   */
  readonly body?: Uint8Array | Blob | string | undefined;
  /** Statuses that are an answer rather than a failure (such as 404 for an existence check). */
  readonly accept?: (status: number) => boolean;
  /** The store's error for a failed response (S3 XML, WebHDFS RemoteException). */
  readonly error?: (response: Response) => Promise<IOError>;
}

/** The response, once ok or accepted; retries network errors, 429 and 5xx with backoff. */
export async function sendWithRetries(request: RetriedRequest): Promise<Response> {
  return withRetries(request.retry, request.signal, () => attempt(request));
}

/** What {@link sendForText} got: the response, and its body read. */
export interface TextAnswer {
  readonly response: Response;
  readonly text: string;
}

/**
 * {@link sendWithRetries}, with the body read as text within each attempt: a body cut off
 * mid-way (a listing, an upload id) is retried as a failed request is, and is an `IOError`
 * once the retries are spent, not the `TypeError` a failed `text()` rejects with.
 */
export async function sendForText(request: RetriedRequest): Promise<TextAnswer> {
  const { signal } = request;
  return withRetries(request.retry, signal, async () => {
    const response = await attempt(request);
    try {
      // A body that stalls mid-way fails as one that never comes does (ETIMEDOUT, retried).
      return { response, text: await boundedResponse(response, request.retry.answerTimeout).text() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new Transient(error instanceof IOError ? error : networkError(error, request.name));
    }
  });
}

/** One attempt of a request, judged. */
async function attempt(request: RetriedRequest): Promise<Response> {
  const { signal } = request;
  const bounded = timeoutSignal(signal, attemptTimeout(request.retry.answerTimeout, request.body), request.name);
  let response: Response;
  try {
    response = await request.send(bounded.signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (bounded.signal?.aborted) throw new Transient(bounded.signal.reason as IOError);
    // Ours, not the network's (a signer that refused): reported as it is, not retried.
    if (error instanceof IOError) throw error;
    throw new Transient(networkError(error, request.name));
  } finally {
    bounded.clear();
  }
  if (response.ok || request.accept?.(response.status) === true) return response;
  const error = await failureOf(response, request.name, request.retry.answerTimeout, request);
  if (isRetryableStatus(response.status)) throw new Transient(error, parseRetryAfter(response.headers.get('retry-after')));
  throw error;
}

/**
 * How many bytes of a request's body one `answerTimeout` covers: 256 KiB, a floor of about
 * 4.3 KiB/s a request with the default 60 s. An upload sends several parts at once over one
 * link, each slower than the link: with 4 in flight (the default) a link of about 140 kbit/s
 * still gets its parts through, and a server that takes an 8 MiB part and never answers is
 * given up on after 33 answer timeouts (33 min by default) rather than never.
 */
const BYTES_PER_ANSWER_TIMEOUT = 256 * 1024;

/**
 * The time an attempt sending `body` may take, body and answer: `answerTimeout` for the answer
 * and one more for each {@link BYTES_PER_ANSWER_TIMEOUT} of body; 0 (no timeout) stays 0.
 * `fetch` does not tell when a body has gone (and a streamed body, which would, has no
 * Content-Length, which stores need), so the clock cannot start there: it runs from the start
 * and grows with the body, so that a slow link is not taken for a server that never answers.
 */
export function attemptTimeout(answerTimeout: number, body: Uint8Array | Blob | string | undefined): number {
  if (answerTimeout === 0 || body === undefined) return answerTimeout;
  // A string's UTF-16 length: near enough for a timeout.
  const bytes = typeof body === 'string' ? body.length : body instanceof Uint8Array ? body.byteLength : body.size;
  return Math.ceil(answerTimeout * (1 + bytes / BYTES_PER_ANSWER_TIMEOUT));
}

/**
 * How a request that changes something meets a redirect: it is not followed. `fetch` would
 * follow a 303 (and a 301 or 302 of a POST) as a GET, whose 200 would pass for the write's
 * success (a CompleteMultipartUpload answered 302: the object never appears, close()
 * resolves); the redirect is an error instead.
 */
export function noRedirect(method: string | undefined): RequestInit {
  return method === undefined || method === 'GET' || method === 'HEAD' ? {} : { redirect: 'manual' };
}
