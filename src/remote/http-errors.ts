/**
 * How an HTTP answer becomes one of nativefile's errors, so every remote backend reports
 * the same failure with the same class and code whatever the store.
 * @module
 */
import { FileNotFoundError, IOError } from '../errors.js';
import { boundedResponse } from './body-reader.js';
import { redactSecrets } from './redact.js';

/** What a status maps to when the store says nothing more specific. */
export function statusError(status: number, statusText: string, url: string, detail = ''): IOError {
  const what = `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}${detail ? `: ${detail}` : ''}`;
  if (status === 404 || status === 410) return new FileNotFoundError(`not found: ${what}`);
  if (status === 401 || status === 403) return new IOError(`access denied: ${what}`, { code: 'EACCES' });
  // A conditional read failed: the file is not the one that was opened any more.
  if (status === 412) return new IOError(`the remote file changed since it was opened: ${what}`, { code: 'ESTALE' });
  if (status === 416) return new IOError(`range not satisfiable: ${what}`, { code: 'ERANGE' });
  // A redirect reaches here only from a request not sent on (a write, a signed request); 0 is a browser's opaque one.
  if (status === 0 || (status >= 300 && status < 400))
    return new IOError(`redirected, and this request is not sent on to another URL: ${what}`, { code: 'EREMOTE' });
  return new IOError(what, { code: 'EREMOTE' });
}

/** How much of an error answer's body is read: enough for any store's error document. */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * The error of a failed answer: what the store makes of it (`store.error`: S3's XML, a
 * WebHDFS RemoteException), else {@link responseError}. Its body is read through
 * `boundedResponse`, within `idleTimeout` and to 64 KiB, so that one that stalls cannot hang.
 */
export function failureOf(
  response: Response,
  name: string,
  idleTimeout: number,
  store?: { error?(response: Response): Promise<IOError> },
): Promise<IOError> {
  const bounded = boundedResponse(response, idleTimeout, ERROR_BODY_LIMIT);
  return store?.error?.(bounded) ?? responseError(bounded, name);
}

/** The error of a response that is not ok, after reading (a little of) its body for detail. */
export async function responseError(response: Response, url: string): Promise<IOError> {
  return statusError(response.status, response.statusText, url, await bodySnippet(response));
}

/** The start of a response body, for a message, secrets redacted; never throws. */
export async function bodySnippet(response: Response, limit = 300): Promise<string> {
  try {
    const text = redactSecrets(await response.text());
    return text.length > limit ? `${text.slice(0, limit)}…` : text.trim();
  } catch {
    return '';
  }
}

/** Whether a status is worth asking again: too many requests, timeouts and server trouble. */
export function isRetryableStatus(status: number): boolean {
  // 501 (not implemented) and 505 (version) will not change by asking again.
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Whether this runs in a page or a web worker, where fetch enforces CORS. */
const inBrowser = (): boolean => typeof globalThis.document !== 'undefined' || 'WorkerGlobalScope' in globalThis;

/**
 * A network failure (no answer, or a body cut off) as an IOError naming the URL. In a
 * browser a request refused by CORS fails exactly like this (a TypeError, nothing more is
 * told to the page), so the message there says where to look.
 */
export function networkError(error: unknown, url: string): IOError {
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  const hint = inBrowser() ? ' (in a browser, also what a request refused by CORS looks like: see docs/cors.md)' : '';
  return new IOError(`network error reading ${url}: ${redactSecrets(reason)}${hint}`, {
    code: 'ECONNRESET',
    cause: redactedCause(error),
  });
}

/**
 * `error`, or where its text (or its cause's) quotes a secret (a caller's fetch may quote the
 * URL, token and all), an Error of the same name with the text redacted and no stack of its own.
 */
function redactedCause(error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redactSecrets(error) : error;
  const inner = error.cause instanceof Error ? error.cause.message : '';
  if (redactSecrets(error.message) === error.message && redactSecrets(inner) === inner) return error;
  const clean = new Error(redactSecrets(inner === '' ? error.message : `${error.message}: ${inner}`));
  clean.name = error.name;
  return clean;
}
