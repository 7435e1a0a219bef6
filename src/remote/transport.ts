/**
 * What a remote backend tells the shared read machinery about its store: how to ask for a
 * byte range and how to read its errors. HTTP servers and S3 answer `Range` requests with
 * 206; WebHDFS takes `offset` and `length` in the URL and answers 200.
 * @module
 */
import type { IOError } from '../errors.js';

/** The `fetch` a remote file uses: the global one, or one the caller gives (for auth, tests, proxies). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** How to read byte ranges of one remote object. */
export interface RangeTransport {
  /** The object's name for messages: its URL, or `s3://bucket/key`. */
  readonly name: string;
  /**
   * Whether answers are `206 Partial Content` with a `Content-Range` (HTTP, S3), or
   * `200` with exactly the bytes asked for (WebHDFS `OPEN`).
   */
  readonly partialContent: boolean;
  /**
   * The validator seen at open (`ETag`), compared with each answer's so a server that
   * ignores `If-Match` still cannot hand over bytes of a replaced file.
   */
  readonly etag?: string;
  /** Sends the request for `length` (> 0) bytes at `offset`. */
  get(offset: number, length: number, signal: AbortSignal): Promise<Response>;
  /** The error for a failed answer (the store's own error body), if it has a format to read. */
  error?(response: Response): Promise<IOError>;
}
