/**
 * {@link HttpFile}: a file on any HTTP(S) server that answers `Range` requests (static
 * servers, object stores' public URLs, CDNs), read as a random-access file.
 * @module
 */
import { fileClass } from '../io/core/file-class.js';
import type { Async, RandomAccessFile } from '../io/core/interfaces.js';
import type { UnderlyingFile } from '../io/core/underlying.js';
import { checkSize, describe } from '../util/validate.js';
import { preconditionHeader, probe, type Validator } from './http-probe.js';
import { remoteReader, type RemoteReadOptions } from './remote-reader.js';
import { redactUrl } from './redact.js';
import { retryPolicy } from './retry.js';
import { platformFetch } from './platform-fetch.js';
import type { FetchLike, RangeTransport } from './transport.js';
import type { HeadersInput } from '../platform/globals.js';

/** Options of {@link HttpFile.open}. */
export interface HttpFileOptions extends RemoteReadOptions {
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike;
  /** Headers sent with every request (authorization, for instance). */
  headers?: HeadersInput;
  /**
   * The largest file read whole, at open, from a server that ignores `Range` (answers 200
   * with the whole body). Larger files are an `IOError` with code `'ENOTSUP'` rather than
   * one full download per read. Default 1 MiB.
   */
  wholeFileLimit?: number;
}

/** Default {@link HttpFileOptions.wholeFileLimit}. */
export const DEFAULT_WHOLE_FILE_LIMIT = 1024 * 1024;

/**
 * An asynchronous random-access file over HTTP(S) `Range` requests.
 *
 * Every read is conditional on the version seen at open (`If-Match` with its strong ETag,
 * else `If-Unmodified-Since`), so a file replaced while it is read fails with an `IOError`
 * whose code is `'ESTALE'` instead of mixing two versions. Failed requests (network errors,
 * 429, 5xx, bodies cut off) are retried with backoff, resuming where the body stopped.
 * `readRanges` and `willNeed` coalesce ranges as Arrow's `ReadRangeCache` does.
 */
export class HttpFile extends fileClass<Async<RandomAccessFile>>() {
  /**
   * The URL read, as messages show it: query values and user information are `REDACTED`,
   * since a presigned URL's signature (or a SAS token) must not reach logs.
   */
  readonly url: string;
  /** The version read: the ETag and Last-Modified seen at open. */
  readonly validator: Validator;

  /** @internal Use {@link HttpFile.open}. */
  constructor(underlying: UnderlyingFile, url: string, size: number, validator: Validator) {
    super(underlying, { kind: 'HttpFile', mode: 'rb', seekable: true, sync: false, knownSize: () => size });
    this.url = url;
    this.validator = validator;
  }

  /** `HttpFile(<url, redacted>)`. */
  override toString(): string {
    return `HttpFile(${this.url})`;
  }

  /**
   * Opens `url`: one `HEAD` (and a one-byte ranged `GET` when the `HEAD` does not show
   * range support) to learn the size and version.
   * @throws FileNotFoundError on 404; IOError `EACCES` on 401/403, `ENOTSUP` for a large
   * file on a server that ignores `Range`, `EREMOTE` / `ECONNRESET` after the retries.
   */
  static async open(url: string | URL, options: HttpFileOptions = {}): Promise<HttpFile> {
    if (typeof url !== 'string' && !(url instanceof URL))
      throw new TypeError(`url must be a string or URL, got ${describe(url)}`);
    const href = new URL(url, globalThis.location?.href).href;
    const fetchFn = options.fetch ?? platformFetch;
    if (typeof fetchFn !== 'function') throw new TypeError(`options.fetch must be a function, got ${describe(options.fetch)}`);
    const headers = new Headers(options.headers);
    // Content-Range counts encoded bytes; ask for the bytes as stored (browsers do it themselves).
    headers.set('accept-encoding', 'identity');
    const name = redactUrl(href);
    const found = await probe({
      url: href,
      name,
      fetch: fetchFn,
      headers,
      retry: retryPolicy(options.retry),
      signal: options.signal,
      wholeFileLimit: checkSize(options.wholeFileLimit ?? DEFAULT_WHOLE_FILE_LIMIT, 'wholeFileLimit'),
    });
    const underlying =
      found.whole === undefined
        ? remoteReader(httpTransport(href, name, fetchFn, headers, found.validator), found.size, options)
        : memoryReader(found.whole);
    return new HttpFile(underlying, name, found.size, found.validator);
  }
}

/** Ranged, conditional GETs of one URL. */
function httpTransport(url: string, name: string, fetchFn: FetchLike, base: Headers, validator: Validator): RangeTransport {
  const precondition = preconditionHeader(validator);
  return {
    name,
    partialContent: true,
    ...(validator.etag === undefined ? {} : { etag: validator.etag }),
    get(offset, length, signal) {
      const headers = new Headers(base);
      headers.set('range', `bytes=${offset}-${offset + length - 1}`);
      if (precondition !== undefined) headers.set(...precondition);
      return fetchFn(url, { headers, signal });
    },
  };
}

/** The backend of a small file read whole at open. */
function memoryReader(bytes: Uint8Array): UnderlyingFile {
  return {
    size: () => bytes.byteLength,
    readAt(position, into) {
      const part = bytes.subarray(position, position + into.byteLength);
      into.set(part);
      return part.byteLength;
    },
  };
}
