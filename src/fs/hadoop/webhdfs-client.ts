/**
 * WebHDFS REST requests (`/webhdfs/v1/<path>?op=…`, as Apache Hadoop's "WebHDFS REST
 * API" document specifies): authentication by `user.name` or `delegation` token, retries,
 * RemoteException errors, and the two-step writes through a DataNode.
 * @module
 */
import { IOError } from '../../errors.js';
import { discardBody } from '../../remote/body-reader.js';
import { networkError } from '../../remote/http-errors.js';
import { redactSecrets } from '../../remote/redact.js';
import { retryPolicy, type RetryOptions, type RetryPolicy } from '../../remote/retry.js';
import { noRedirect, sendForText, sendWithRetries, type RetriedRequest } from '../../remote/request.js';
import { platformFetch } from '../../remote/platform-fetch.js';
import type { FetchLike, RangeTransport } from '../../remote/transport.js';
import { describe } from '../../util/validate.js';
import { absolutePath, encodePath } from '../paths.js';
import { remoteExceptionOf } from './remote-exception.js';

/** How to reach WebHDFS. */
export interface WebHdfsOptions {
  /** The NameNode's HTTP address, such as `http://namenode:9870`. */
  url: string;
  /** The user to act as (`user.name`), for clusters with simple authentication. */
  user?: string;
  /** A delegation token (`delegation`), for secure clusters. */
  delegationToken?: string;
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike;
  /** How failed requests are retried. */
  retry?: RetryOptions;
}

/** One request of an operation. */
export interface WebHdfsRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly op: string;
  readonly params?: Record<string, string>;
  readonly accept?: (status: number) => boolean;
  readonly signal?: AbortSignal | undefined;
}

/** Sends WebHDFS requests to one NameNode. */
export class WebHdfsClient {
  readonly retry: RetryPolicy;
  readonly #base: string;
  readonly #auth: Record<string, string>;
  readonly #fetch: FetchLike;

  /** @param options where the NameNode is and who to be. */
  constructor(options: WebHdfsOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    if (typeof options.url !== 'string')
      throw new TypeError(`options.url must be the NameNode's HTTP URL, got ${describe(options.url)}`);
    this.#base = new URL(options.url).href.replace(/\/$/, '');
    this.#auth = {};
    if (options.delegationToken !== undefined) this.#auth['delegation'] = options.delegationToken;
    else if (options.user !== undefined) this.#auth['user.name'] = options.user;
    this.#fetch = options.fetch ?? platformFetch;
    this.retry = retryPolicy(options.retry);
  }

  /** The URL of an operation on `path`. */
  url(path: string, op: string, params: Record<string, string> = {}): string {
    const query = new URLSearchParams({ op, ...this.#auth, ...params });
    return `${this.#base}/webhdfs/v1${encodePath(absolutePath(path))}?${query}`;
  }

  /**
   * Sends an operation with retries; a failure is its RemoteException. With `manual`, a
   * redirect is returned as it is, not followed (see {@link WebHdfsClient.write}).
   */
  async request(request: WebHdfsRequest, manual = false): Promise<Response> {
    return sendWithRetries(this.#retried(request, manual));
  }

  #retried(request: WebHdfsRequest, manual: boolean): RetriedRequest {
    const url = this.url(request.path, request.op, request.params);
    const name = `hdfs://${absolutePath(request.path)}`;
    const redirect: RequestInit = manual ? { redirect: 'manual' } : noRedirect(request.method);
    return {
      name,
      retry: this.retry,
      signal: request.signal,
      send: (signal) => this.#fetch(url, { method: request.method, ...redirect, ...(signal === undefined ? {} : { signal }) }),
      accept: (status) => (manual && isRedirect(status)) || request.accept?.(status) === true,
      error: (response) => remoteExceptionOf(response, name),
    };
  }

  /**
   * An operation's JSON answer; an answer that is not JSON is an `IOError` (`EPROTO`). The
   * answer of a GET is read within each attempt, so a body cut off is retried; that of a
   * RENAME or DELETE is not (asked again, it would answer `false`, the work being done).
   */
  async json<T>(request: WebHdfsRequest): Promise<T> {
    const what = `${request.op} of hdfs://${absolutePath(request.path)}`;
    if (request.method === 'GET') {
      const { response, text } = await sendForText(this.#retried(request, false));
      return parseJson(text, response.status, what) as T;
    }
    const response = await this.request(request);
    const text = await response.text().catch((error: unknown) => {
      throw networkError(error, what);
    });
    return parseJson(text, response.status, what) as T;
  }

  /**
   * A two-step write (CREATE or APPEND): the NameNode names a DataNode, then the bytes go
   * there. `noredirect=true` asks for the DataNode's URL as JSON; a NameNode that ignores it
   * (Hadoop 2.7 and older) answers 307, which is never followed: `fetch` would follow it
   * without the body, and a CREATE with `overwrite=true` would then empty the file. The body
   * goes to the redirect's `Location` instead. `retryData` is false for APPEND, where a retry
   * after a lost answer could append twice.
   */
  async write(
    method: 'PUT' | 'POST',
    path: string,
    op: 'CREATE' | 'APPEND',
    params: Record<string, string>,
    body: Uint8Array<ArrayBuffer>,
    retryData: boolean,
  ): Promise<void> {
    const name = `hdfs://${absolutePath(path)}`;
    const answer = await this.request({ method, path, op, params: { ...params, noredirect: 'true' } }, true);
    const location = isRedirect(answer.status)
      ? answer.headers.get('location')
      : (
          parseJson(
            await answer.text().catch((error: unknown) => {
              throw networkError(error, `${op} of ${name}`);
            }),
            answer.status,
            `${op} of ${name}`,
          ) as { Location?: unknown } | null
        )?.Location;
    if (typeof location !== 'string' || location === '') {
      // A browser hides a manual redirect's target (an opaque redirect, status 0).
      const hint =
        answer.type === 'opaqueredirect'
          ? ' (the NameNode redirected, and a browser hides where: it needs noredirect support, Hadoop 2.8+)'
          : '';
      throw new IOError(`the NameNode gave no DataNode Location for ${op} ${name}${hint}`, { code: 'EPROTO' });
    }
    discardBody(answer);
    await sendWithRetries({
      name,
      body,
      retry: retryData ? this.retry : { ...this.retry, retries: 0 },
      send: (signal) =>
        this.#fetch(new URL(location, this.#base).href, {
          method,
          body,
          redirect: 'manual',
          headers: { 'content-type': 'application/octet-stream' },
          ...(signal === undefined ? {} : { signal }),
        }),
      error: (response) => remoteExceptionOf(response, name),
    });
  }

  /** Reads of `path` with OPEN's `offset` and `length`, following the NameNode's redirect to a DataNode. */
  transport(path: string): RangeTransport {
    const name = `hdfs://${absolutePath(path)}`;
    return {
      name,
      partialContent: false,
      get: (offset, length, signal) =>
        this.#fetch(this.url(path, 'OPEN', { offset: String(offset), length: String(length) }), { signal }),
      error: (response) => remoteExceptionOf(response, name),
    };
  }
}

/** Whether `status` is a redirect a manual fetch returns (0 is a browser's opaque redirect). */
function isRedirect(status: number): boolean {
  return status === 0 || status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** An answer's JSON; anything else (an HTML error page, an empty body) is an `IOError`. */
function parseJson(text: string, status: number, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const redacted = redactSecrets(text);
    const snippet = redacted.length > 100 ? `${redacted.slice(0, 100)}…` : redacted;
    throw new IOError(`the answer to ${what} is not JSON (HTTP ${status}): ${JSON.stringify(snippet)}`, {
      code: 'EPROTO',
      cause: error,
    });
  }
}
