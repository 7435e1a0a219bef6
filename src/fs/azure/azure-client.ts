/**
 * Requests to the Azure Blob service's REST API: URLs, authorization (Shared Key, a SAS
 * token, or the caller's signer), retries and Azure's errors. No URL with a SAS token in it
 * ever reaches a message: names are `azure://container/blob`, and failures of `fetch` are
 * redacted. Ranged reads go through the shared remote-file machinery with
 * {@link AzureClient.transport}.
 * @module
 */
import { IOError } from '../../errors.js';
import { redactUrl } from '../../remote/redact.js';
import { noRedirect, sendForText, sendWithRetries, type RetriedRequest, type TextAnswer } from '../../remote/request.js';
import { retryPolicy, type RetryOptions, type RetryPolicy } from '../../remote/retry.js';
import type { RequestSigner } from '../../remote/signer.js';
import { platformFetch } from '../../remote/platform-fetch.js';
import type { FetchLike, RangeTransport } from '../../remote/transport.js';
import { describe } from '../../util/validate.js';
import { encodePath, encodeSegment } from '../paths.js';
import { azureResponseError } from './azure-errors.js';
import { azureSharedKeySigner } from './azure-shared-key.js';

/** The REST API version requests ask for (Put Block up to 4000 MiB, Copy Blob, Append Block). */
export const AZURE_API_VERSION = '2021-12-02';

/** Where an Azure storage account's Blob service is, and how requests reach it. */
export interface AzureAccountOptions {
  /** The storage account's name. */
  accountName: string;
  /** The Blob service URL. Default `https://<accountName>.blob.core.windows.net`; Azurite's is `http://127.0.0.1:10000/devstoreaccount1`. */
  endpoint?: string;
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike;
  /** How failed requests are retried. */
  retry?: RetryOptions;
}

/** Shared Key: requests signed with the account key. */
export interface AzureAccountKey {
  /** The account key (base64): only where the key may be (Node, a server). */
  accountKey: string;
  /** Not with an account key. */
  sasToken?: undefined;
  /** Not with an account key. */
  signer?: undefined;
}

/** A shared access signature added to every URL. */
export interface AzureSasToken {
  /** Not with a SAS token. */
  accountKey?: undefined;
  /** The signature: the query string, with or without its leading `?`. */
  sasToken: string;
  /** Not with a SAS token. */
  signer?: undefined;
}

/** Requests signed elsewhere, such as on the app's server (pages: no key in the page). */
export interface AzureSigner {
  /** Not with a signer. */
  accountKey?: undefined;
  /** Not with a signer. */
  sasToken?: undefined;
  /** Signs each request. */
  signer: RequestSigner;
}

/** No credential: anonymous requests, for public containers. */
export interface AzureAnonymous {
  /** Not given. */
  accountKey?: undefined;
  /** Not given. */
  sasToken?: undefined;
  /** Not given. */
  signer?: undefined;
}

/**
 * How requests are authorized: at most one of an account key, a SAS token and a signer.
 * Giving two is a type error, as it is a `TypeError` at run time.
 */
export type AzureCredentialOptions = AzureAccountKey | AzureSasToken | AzureSigner | AzureAnonymous;

/** How to reach an Azure storage account's Blob service: where it is, and one credential. */
export type AzureClientOptions = AzureAccountOptions & AzureCredentialOptions;

/** What one request sends. */
export interface AzureRequest {
  readonly method: string;
  /** The container; `''` for the account (listing containers, service properties). */
  readonly container: string;
  readonly blob?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** The bytes to send: memory, or a slice of a Blob (sent from where the Blob keeps them). */
  readonly body?: Uint8Array<ArrayBuffer> | Blob;
  readonly signal?: AbortSignal | undefined;
  /** Statuses that are an answer, not a failure (404 for an existence check). */
  readonly accept?: (status: number) => boolean;
}

/** `fetch`'s failure with every query value hidden (a TypeError may quote the URL). */
function redactedFailure(error: unknown): Error {
  const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new Error(redactUrl(message));
}

/** Sends authorized requests to one storage account. */
export class AzureClient {
  readonly accountName: string;
  readonly retry: RetryPolicy;
  readonly #endpoint: string;
  readonly #fetch: FetchLike;
  readonly #sas: string | undefined;
  readonly #signer: RequestSigner | undefined;

  /** @param options the account and how to authorize. */
  constructor(options: AzureClientOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    const { accountName, accountKey, sasToken, signer } = options;
    if (typeof accountName !== 'string' || !/^[a-z0-9]+$/.test(accountName))
      throw new TypeError(
        `options.accountName must be a storage account name (lower-case letters and digits), got ${describe(accountName)}`,
      );
    const given = [accountKey, sasToken, signer].filter((value) => value !== undefined).length;
    if (given > 1) throw new TypeError('give at most one of options.accountKey, options.sasToken and options.signer');
    if (signer !== undefined && typeof signer !== 'function')
      throw new TypeError(`options.signer must be a function, got ${describe(signer)}`);
    if (sasToken !== undefined && (typeof sasToken !== 'string' || !/(^|[?&])sig=/.test(sasToken)))
      throw new TypeError('options.sasToken must be a shared access signature with a sig parameter (its value is not shown)');
    this.accountName = accountName;
    this.#endpoint = (options.endpoint ?? `https://${accountName}.blob.core.windows.net`).replace(/\/+$/, '');
    if (!/^https?:\/\//.test(this.#endpoint))
      throw new TypeError(`options.endpoint must be an http(s) URL, got ${describe(redactUrl(this.#endpoint))}`);
    this.#fetch = options.fetch ?? platformFetch;
    this.retry = retryPolicy(options.retry);
    this.#sas = sasToken?.replace(/^\?/, '');
    this.#signer = signer ?? (accountKey === undefined ? undefined : azureSharedKeySigner(accountName, accountKey));
  }

  /** The name of a container or blob in messages: `azure://container/blob`. */
  static nameOf(container: string, blob = ''): string {
    return `azure://${container}${blob === '' ? '' : `/${blob}`}`;
  }

  /** The URL of the account, a container or a blob, with `query` and, if `withSas`, the SAS token. */
  url(container: string, blob = '', query: Record<string, string> = {}, withSas = false): string {
    let url = this.#endpoint;
    if (container !== '') url += `/${encodePath(container)}`;
    if (blob !== '') url += `/${encodePath(blob)}`;
    if (container === '') url += '/';
    const pairs = Object.entries(query).map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`);
    if (withSas && this.#sas !== undefined) pairs.push(this.#sas);
    return pairs.length === 0 ? url : `${url}?${pairs.join('&')}`;
  }

  /** Sends an authorized request with retries; a failure is Azure's error. */
  async request(request: AzureRequest): Promise<Response> {
    return sendWithRetries(this.#retried(request));
  }

  /** {@link AzureClient.request} with the answer's body read (XML), a body cut off retried too. */
  async requestText(request: AzureRequest): Promise<TextAnswer> {
    return sendForText(this.#retried(request));
  }

  #retried(request: AzureRequest): RetriedRequest {
    const url = this.url(request.container, request.blob, request.query);
    const name = AzureClient.nameOf(request.container, request.blob);
    return {
      name,
      retry: this.retry,
      signal: request.signal,
      send: (signal) => this.send(request.method, url, request.headers ?? {}, request.body, signal),
      body: request.body,
      ...(request.accept === undefined ? {} : { accept: request.accept }),
      error: (response: Response): Promise<IOError> => azureResponseError(response, name),
    };
  }

  /**
   * One attempt: adds the version and date headers and the SAS token, has the signer sign
   * (it gets every header, and the body's length), and sends.
   */
  async send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: Uint8Array<ArrayBuffer> | Blob | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const all: Record<string, string> = { 'x-ms-version': AZURE_API_VERSION, 'x-ms-date': new Date().toUTCString(), ...headers };
    let target = this.#sas === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}${this.#sas}`;
    if (this.#signer !== undefined) {
      const toSign = { ...all };
      const length = body === undefined ? 0 : body instanceof Uint8Array ? body.byteLength : body.size;
      if (length > 0) toSign['content-length'] = String(length);
      let signed;
      try {
        signed = await this.#signer({ method, url: target, headers: toSign });
      } catch (error) {
        // Ours, not the network's: reported as the refusal it is, and not retried.
        throw new IOError(`the signer refused ${method} ${redactUrl(url)}: ${redactedFailure(error).message}`, {
          code: error instanceof IOError ? error.code : 'EACCES',
        });
      }
      target = signed.url;
      Object.assign(all, signed.headers);
    }
    try {
      return await this.#fetch(target, {
        method,
        headers: all,
        // A browser revalidating from its cache adds If-None-Match and If-Modified-Since,
        // which Shared Key signs: the signature would no longer match (seen in Firefox).
        cache: 'no-store',
        ...noRedirect(method),
        ...(body === undefined ? {} : { body }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw redactedFailure(error);
    }
  }

  /** Ranged, authorized GETs of one blob, conditional on its ETag. */
  transport(container: string, blob: string, etag: string | undefined): RangeTransport {
    const url = this.url(container, blob);
    const name = AzureClient.nameOf(container, blob);
    return {
      name,
      partialContent: true,
      ...(etag === undefined ? {} : { etag }),
      get: (offset, length, signal) => {
        const headers: Record<string, string> = { range: `bytes=${offset}-${offset + length - 1}` };
        if (etag !== undefined) headers['if-match'] = etag;
        return this.send('GET', url, headers, undefined, signal);
      },
      error: (response) => azureResponseError(response, name),
    };
  }
}
