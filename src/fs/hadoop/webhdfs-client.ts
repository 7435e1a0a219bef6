/**
 * WebHDFS REST requests (`/webhdfs/v1/<path>?op=…`, as Apache Hadoop's "WebHDFS REST
 * API" document specifies): authentication by `user.name` or `delegation` token, retries,
 * RemoteException errors, and the two-step writes through a DataNode.
 * @module
 */
import { IOError } from '../../errors.js';
import { retryPolicy, type RetryOptions, type RetryPolicy } from '../../remote/retry.js';
import { sendWithRetries } from '../../remote/request.js';
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
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.retry = retryPolicy(options.retry);
  }

  /** The URL of an operation on `path`. */
  url(path: string, op: string, params: Record<string, string> = {}): string {
    const query = new URLSearchParams({ op, ...this.#auth, ...params });
    return `${this.#base}/webhdfs/v1${encodePath(absolutePath(path))}?${query}`;
  }

  /** Sends an operation with retries; a failure is its RemoteException. */
  async request(request: WebHdfsRequest): Promise<Response> {
    const url = this.url(request.path, request.op, request.params);
    const name = `hdfs://${absolutePath(request.path)}`;
    return sendWithRetries({
      name,
      retry: this.retry,
      signal: request.signal,
      send: (signal) => this.#fetch(url, { method: request.method, ...(signal === undefined ? {} : { signal }) }),
      ...(request.accept === undefined ? {} : { accept: request.accept }),
      error: (response) => remoteExceptionOf(response, name),
    });
  }

  /** An operation's JSON answer. */
  async json<T>(request: WebHdfsRequest): Promise<T> {
    return (await (await this.request(request)).json()) as T;
  }

  /**
   * A two-step write (CREATE or APPEND): the NameNode names a DataNode (`noredirect=true`
   * returns its URL as JSON, so the body is never sent to a redirect, which `fetch` could
   * not replay), then the bytes go there. `retryData` is false for APPEND, where a retry
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
    const { Location: location } = await this.json<{ Location?: unknown }>({
      method,
      path,
      op,
      params: { ...params, noredirect: 'true' },
    });
    if (typeof location !== 'string')
      throw new IOError(`the NameNode gave no DataNode Location for ${op} ${name}`, { code: 'EPROTO' });
    await sendWithRetries({
      name,
      retry: retryData ? this.retry : { ...this.retry, retries: 0 },
      send: (signal) =>
        this.#fetch(location, {
          method,
          body,
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
