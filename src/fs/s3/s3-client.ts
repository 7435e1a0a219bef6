/**
 * Signed S3 requests: URLs in path or virtual-hosted style, SigV4 through `aws4fetch`
 * (or the caller's signer), retries and S3's error documents. Ranged reads go through the
 * shared remote-file machinery with {@link S3Client.transport}.
 * @module
 */
import { AwsClient } from 'aws4fetch';
import { IOError } from '../../errors.js';
import { retryPolicy, type RetryOptions, type RetryPolicy } from '../../remote/retry.js';
import { redactUrl } from '../../remote/redact.js';
import { sendForText, sendWithRetries, type RetriedRequest, type TextAnswer } from '../../remote/request.js';
import type { RequestSigner, SignedRequest } from '../../remote/signer.js';
import { platformFetch } from '../../remote/platform-fetch.js';
import type { FetchLike, RangeTransport } from '../../remote/transport.js';
import { describe } from '../../util/validate.js';
import { encodePath, encodeSegment } from '../paths.js';
import { s3ResponseError } from './s3-errors.js';

/** AWS credentials. */
export interface S3Credentials {
  /** The access key's id. */
  readonly accessKeyId: string;
  /** The access key's secret, used to sign and never sent. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials (STS); sent with each request. */
  readonly sessionToken?: string;
}

/** Signs a request (SigV4) here, with the secret in this context; `aws4fetch`'s `AwsClient` is one. */
export interface S3Signer {
  /** The request for `url` and `init`, signed. */
  sign(url: string, init: RequestInit): Promise<Request>;
}

/** How to reach S3. */
export interface S3ClientOptions {
  /** The service URL, such as `http://127.0.0.1:9000`. Default `https://s3.<region>.amazonaws.com`. */
  endpoint?: string;
  /** The region signed for, such as `'us-east-1'`. */
  region: string;
  /** Credentials; without them (and without `signer`) requests are anonymous. */
  credentials?: S3Credentials;
  /** Put the bucket in the path (`endpoint/bucket/key`) rather than the host name. Default `false`. */
  forcePathStyle?: boolean;
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike;
  /**
   * A signer to use instead of one built from `credentials`: a {@link RequestSigner}
   * function that has each request signed (or presigned) by the app's own server, so a page
   * holds no secret; or an object that signs here (`aws4fetch`'s `AwsClient`).
   */
  signer?: S3Signer | RequestSigner;
  /** How failed requests are retried. */
  retry?: RetryOptions;
}

/** A bucket name that is a DNS name, as virtual-hosted URLs need (S3's naming rules). */
const VIRTUAL_HOSTED_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** What one request sends. */
export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array<ArrayBuffer> | Blob | string;
  readonly signal?: AbortSignal | undefined;
  /** Statuses that are an answer, not a failure (404 for an existence check). */
  readonly accept?: (status: number) => boolean;
}

/** Sends signed requests to one S3 endpoint. */
export class S3Client {
  readonly region: string;
  readonly retry: RetryPolicy;
  readonly #endpoint: URL;
  readonly #pathStyle: boolean;
  readonly #fetch: FetchLike;
  readonly #signer: S3Signer | RequestSigner | undefined;

  /** @param options how to reach the store. */
  constructor(options: S3ClientOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    if (typeof options.region !== 'string' || options.region === '')
      throw new TypeError(`options.region must be a region name, got ${describe(options.region)}`);
    this.region = options.region;
    this.#endpoint = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
    this.#pathStyle = options.forcePathStyle ?? false;
    this.#fetch = options.fetch ?? platformFetch;
    this.retry = retryPolicy(options.retry);
    const { credentials } = options;
    this.#signer =
      options.signer ??
      (credentials === undefined ? undefined : new AwsClient({ ...credentials, service: 's3', region: options.region }));
  }

  /**
   * The URL of a bucket, or of a key in it.
   * @throws RangeError for a key with a `.` or `..` segment, or, in virtual-hosted style, a
   * bucket name that is not a DNS name (it would change the host the request goes to).
   */
  url(bucket: string, key = '', query: Record<string, string> = {}): string {
    const base = new URL(this.#endpoint.href);
    const path = key === '' ? '' : encodePath(key);
    if (bucket === '') base.pathname = '/';
    else if (this.#pathStyle) base.pathname = `${base.pathname.replace(/\/$/, '')}/${encodePath(bucket)}/${path}`;
    else {
      const host = `${bucket}.${base.hostname}`;
      // The host name setter stops at '?', '#' or '\\' and ignores what it refuses: a bucket
      // "evil.example?" would send the request, signed, to evil.example, and "a b" to the
      // endpoint itself, where the key names a bucket.
      if (!VIRTUAL_HOSTED_BUCKET.test(bucket) || bucket.includes('..')) {
        throw new RangeError(
          `bucket ${JSON.stringify(bucket)} cannot be addressed in virtual-hosted style (S3 bucket names are 3 to 63 lower-case letters, digits, '.' and '-'); use forcePathStyle for other names`,
        );
      }
      base.hostname = host;
      if (base.hostname !== host) throw new RangeError(`bucket ${JSON.stringify(bucket)} does not make the host name ${host}`);
      base.pathname = `/${path}`;
    }
    // URLSearchParams encodes a space as '+', which SigV4's canonical query does not accept.
    const search = Object.entries(query)
      .map(([k, v]) => (v === '' ? encodeSegment(k) : `${encodeSegment(k)}=${encodeSegment(v)}`))
      .join('&');
    return search === '' ? base.href : `${base.href}?${search}`;
  }

  /** Sends a signed request with retries; a failure is the store's error. */
  async request(request: S3Request): Promise<Response> {
    return sendWithRetries(this.#retried(request));
  }

  /** {@link S3Client.request} with the answer's body read (XML), a body cut off retried too. */
  async requestText(request: S3Request): Promise<TextAnswer> {
    return sendForText(this.#retried(request));
  }

  #retried(request: S3Request): RetriedRequest {
    const url = this.url(request.bucket, request.key, request.query);
    const name = `s3://${request.bucket}/${request.key ?? ''}`;
    return {
      name,
      retry: this.retry,
      signal: request.signal,
      send: (signal) =>
        this.send(
          url,
          {
            method: request.method,
            headers: request.headers ?? {},
            ...(request.body === undefined ? {} : { body: request.body }),
          },
          signal,
        ),
      body: request.body,
      ...(request.accept === undefined ? {} : { accept: request.accept }),
      error: (response: Response): Promise<IOError> => s3ResponseError(response, name),
    };
  }

  /** One signed attempt. */
  async send(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    // No redirect is followed, reads included: a SigV4 signature covers the host, so it cannot
    // succeed elsewhere, while fetch would send the session token (X-Amz-Security-Token) along.
    const fetchInit: RequestInit = { ...(signal === undefined ? {} : { signal }), redirect: 'manual' };
    const signer = this.#signer;
    if (signer === undefined) return this.#fetch(url, { ...init, ...fetchInit });
    if (typeof signer !== 'function') {
      // The body goes as given, not as the signed Request's stream: a Blob part stays a Blob.
      const signed = await signer.sign(url, init);
      return this.#fetch(signed.url, { ...init, headers: signed.headers, ...fetchInit });
    }
    const headers: Record<string, string> = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const method = init.method ?? 'GET';
    const signed = await signer({ method, url, headers }).then(
      (answer) => {
        if (typeof (answer as Partial<SignedRequest> | undefined)?.url !== 'string')
          throw new IOError(`the signer answered ${describe(answer)}, not { url, headers? }`, { code: 'EPROTO' });
        return answer;
      },
      (error: unknown) => {
        throw new IOError(
          `the signer refused ${method} ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`,
          {
            code: error instanceof IOError ? error.code : 'EACCES',
            cause: error,
          },
        );
      },
    );
    return this.#fetch(signed.url, { ...init, headers: { ...headers, ...signed.headers }, ...fetchInit });
  }

  /** Ranged, signed GETs of one object, conditional on its ETag. */
  transport(bucket: string, key: string, etag: string | undefined): RangeTransport {
    const url = this.url(bucket, key);
    const name = `s3://${bucket}/${key}`;
    return {
      name,
      partialContent: true,
      ...(etag === undefined ? {} : { etag }),
      get: (offset, length, signal) => {
        const headers: Record<string, string> = { range: `bytes=${offset}-${offset + length - 1}` };
        if (etag !== undefined) headers['if-match'] = etag;
        return this.send(url, { method: 'GET', headers }, signal);
      },
      error: (response) => s3ResponseError(response, name),
    };
  }
}
