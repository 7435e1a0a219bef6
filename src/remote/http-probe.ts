/**
 * What `HttpFile.open` learns before the first read: the size, the validator that later
 * reads are made conditional on, and whether the server honours `Range` at all.
 * @module
 */
import { FileNotFoundError, IOError } from '../errors.js';
import { discardBody, readWholeBody } from './body-reader.js';
import { failureOf, isRetryableStatus, networkError, statusError } from './http-errors.js';
import { parseContentRange } from './range-reader.js';
import { parseRetryAfter, Transient, withRetries, type RetryPolicy } from './retry.js';
import { timeoutSignal } from './signals.js';
import type { FetchLike } from './transport.js';

/** What a server says identifies one version of a resource. */
export interface Validator {
  /** The `ETag`, weak or strong. */
  readonly etag?: string;
  /** The `Last-Modified` date, used when there is no strong ETag. */
  readonly lastModified?: string;
}

/** The outcome of probing a URL. */
export interface Probe {
  readonly size: number;
  readonly validator: Validator;
  /** The whole body, when the server ignored `Range` and the file is small enough to keep. */
  readonly whole?: Uint8Array;
}

/** How to probe. */
export interface ProbeRequest {
  readonly url: string;
  /** The URL as messages show it: secrets redacted. */
  readonly name: string;
  readonly fetch: FetchLike;
  readonly headers: Headers;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal | undefined;
  /** The largest file read whole from a server that ignores `Range`. */
  readonly wholeFileLimit: number;
}

/**
 * Asks with `HEAD`; when that is refused (405, 501, or 403 as presigned GET URLs answer it)
 * or does not show range support (no `Accept-Ranges: bytes`, which CORS hides unless
 * exposed, or no length), asks for byte 0 with a ranged `GET`.
 * @throws FileNotFoundError on 404, IOError `EACCES` on 401/403, `ENOTSUP` when the server
 * ignores `Range` and the file is larger than `wholeFileLimit`.
 */
export async function probe(request: ProbeRequest): Promise<Probe> {
  const head = PRESIGNED.test(request.url) ? undefined : await headOrNothing(request);
  if (head !== undefined && head.ok) {
    const length = head.headers.get('content-length');
    const validator = validatorOf(head);
    if (head.headers.get('accept-ranges')?.toLowerCase() === 'bytes' && length !== null && /^\d+$/.test(length)) {
      if (!Number.isSafeInteger(Number(length)))
        throw new IOError(`${request.name} answered Content-Length ${length}, past the largest size a file can have (2^53 - 1)`, {
          code: 'EPROTO',
        });
      return { size: Number(length), validator };
    }
  }
  const get = (await send(request, 'GET', 'bytes=0-0'))!;
  const validator = validatorOf(get);
  if (get.status === 416) {
    // Only an empty file has no byte 0.
    discardBody(get);
    return { size: 0, validator };
  }
  if (get.status === 206) {
    discardBody(get);
    const range = parseContentRange(get.headers.get('content-range'));
    if (range?.total === undefined) {
      const header = JSON.stringify(get.headers.get('content-range'));
      throw new IOError(
        `${request.name} answered a range without a total size to read in Content-Range ${header} (is it exposed through CORS?)`,
        { code: 'EPROTO' },
      );
    }
    return { size: range.total, validator };
  }
  const whole = await readWholeBody(get.body, request.wholeFileLimit, request.retry.answerTimeout).catch((error: unknown) => {
    if (request.signal?.aborted) throw request.signal.reason;
    throw error instanceof IOError ? error : networkError(error, request.name);
  });
  if (whole === undefined) {
    throw new IOError(
      `${request.name} ignores Range requests (HTTP ${get.status} with the whole body) and is larger than wholeFileLimit (${request.wholeFileLimit} bytes)`,
      { code: 'ENOTSUP' },
    );
  }
  return { size: whole.byteLength, validator, whole };
}

/**
 * Query parameters of a URL presigned for one method (S3's and GCS's signatures, Azure's SAS
 * `sig`): a HEAD of it is refused, and in a page the refusal often lacks CORS headers, which
 * makes it a network error the page cannot tell from one (and logs). Such URLs skip HEAD.
 */
const PRESIGNED = /[?&](X-Amz-Signature|X-Goog-Signature|Signature|sig)=/i;

/**
 * The HEAD answer, asked once; `undefined` when there is none to use (the method refused, a
 * network error, which in a page is also what a refusal without CORS headers looks like, or
 * a server error), for the ranged GET to decide, with its retries. A missing file is missing.
 */
async function headOrNothing(request: ProbeRequest): Promise<Response | undefined> {
  try {
    return await send({ ...request, retry: { ...request.retry, retries: 0 } }, 'HEAD', undefined);
  } catch (error) {
    if (request.signal?.aborted || error instanceof FileNotFoundError || !(error instanceof IOError)) throw error;
    return undefined;
  }
}

/** One request with retries; `undefined` when the server does not allow the method. */
async function send(request: ProbeRequest, method: 'HEAD' | 'GET', range: string | undefined): Promise<Response | undefined> {
  const { url, name, signal } = request;
  return withRetries(request.retry, signal, async () => {
    const headers = new Headers(request.headers);
    if (range !== undefined) headers.set('range', range);
    const bounded = timeoutSignal(signal, request.retry.answerTimeout, name);
    let response: Response;
    try {
      response = await request.fetch(url, {
        method,
        headers,
        ...(bounded.signal === undefined ? {} : { signal: bounded.signal }),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (bounded.signal?.aborted) throw new Transient(bounded.signal.reason as IOError);
      throw new Transient(networkError(error, name));
    } finally {
      bounded.clear();
    }
    if (response.ok || (method === 'GET' && response.status === 416)) return response;
    // A presigned GET URL refuses HEAD (its signature covers GET only): the ranged GET decides.
    if (method === 'HEAD' && (response.status === 405 || response.status === 501 || response.status === 403)) {
      discardBody(response);
      return undefined;
    }
    const error =
      method === 'HEAD'
        ? statusError(response.status, response.statusText, name)
        : await failureOf(response, name, request.retry.answerTimeout);
    if (isRetryableStatus(response.status)) throw new Transient(error, parseRetryAfter(response.headers.get('retry-after')));
    throw error;
  });
}

function validatorOf(response: Response): Validator {
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return { ...(etag === null ? {} : { etag }), ...(lastModified === null ? {} : { lastModified }) };
}

/**
 * The precondition header that makes a read fail with 412 once the file changed. A weak
 * ETag (`W/"…"`) cannot be used: `If-Match` compares strongly, so it would never match.
 */
export function preconditionHeader(validator: Validator): [string, string] | undefined {
  if (validator.etag !== undefined && !validator.etag.startsWith('W/')) return ['if-match', validator.etag];
  if (validator.lastModified !== undefined) return ['if-unmodified-since', validator.lastModified];
  return undefined;
}
