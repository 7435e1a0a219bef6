/**
 * Request signing done elsewhere: a page should not hold a store's secret, so it asks the
 * app's own server to sign (or presign) each request. The stores call a
 * {@link RequestSigner} with what they are about to send and send what it returns.
 * @module
 */

/** A request about to be sent, for a {@link RequestSigner} to sign. */
export interface RequestToSign {
  /** `GET`, `PUT`, `POST`, `HEAD` or `DELETE`. */
  readonly method: string;
  /** The full URL, query included. */
  readonly url: string;
  /**
   * The headers the request carries, lower-case names: those the store's signature covers
   * (`x-amz-*`, `x-ms-*`, `content-length`, `content-type`, `range`, `if-match` …). The
   * body is never passed: S3 requests say `x-amz-content-sha256: UNSIGNED-PAYLOAD`.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/** How to send a signed request: its URL (a presigned one, or the same) and headers to add. */
export interface SignedRequest {
  /** The URL to send to: the one asked, or a presigned form of it. */
  readonly url: string;
  /** Headers to send besides the request's own (`authorization`, `x-amz-date` …). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Signs a request through the app's own server, which holds the secret (see the README's
 * "No secrets in the page"). Called once per attempt, since signatures carry the time.
 */
export type RequestSigner = (request: RequestToSign) => Promise<SignedRequest>;
