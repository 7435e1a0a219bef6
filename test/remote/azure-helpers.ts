/**
 * What the Azure tests share: the SDK as a second client of Azurite, account SAS tokens, and
 * a fetch that records what the filesystem sends.
 */
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { AzureFileSystem, type AzureTransferOptions } from '../../src/fs/azure/azure-file-system.js';
import type { RetryOptions } from '../../src/remote/retry.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../servers/azurite.js';

/** The SDK's client of the Azurite account: the second client in the tests. */
export function sdkClient(endpoint: string): BlobServiceClient {
  return new BlobServiceClient(endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
}

/** An account SAS (blob service, every permission, an hour), without its leading `?`. */
export function accountSas(): string {
  return generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 3600_000),
      permissions: AccountSASPermissions.parse('rwdlacup'),
      services: AccountSASServices.parse('b').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
    },
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
  ).toString();
}

/** One request the filesystem sent. */
export interface Recorded {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
}

/** A fetch that records each request, optionally delaying or answering some itself. */
export function recordingFetch(
  options: { delay?: (request: Recorded) => number; answer?: (request: Recorded) => Response | undefined } = {},
): {
  fetch: FetchLike;
  requests: Recorded[];
  /** The most requests matching `filter` that were in flight at once. */
  peak: (filter: (request: Recorded) => boolean) => number;
} {
  const requests: Recorded[] = [];
  const spans: Array<{ request: Recorded; start: number; end: number }> = [];
  let clock = 0;
  return {
    requests,
    fetch: async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const recorded = { method: request.method, url: new URL(request.url), headers: new Headers(request.headers) };
      requests.push(recorded);
      const span = { request: recorded, start: clock++, end: Number.POSITIVE_INFINITY };
      spans.push(span);
      try {
        const delay = options.delay?.(recorded) ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        return options.answer?.(recorded) ?? (await fetch(input, init));
      } finally {
        span.end = clock++;
      }
    },
    peak: (filter) => {
      const chosen = spans.filter((span) => filter(span.request));
      return Math.max(
        0,
        ...chosen.map((span) => chosen.filter((other) => other.start <= span.start && span.start < other.end).length),
      );
    },
  };
}

/** Whether a recorded request stages a block. */
export const isPutBlock = (request: Recorded): boolean =>
  request.method === 'PUT' && request.url.searchParams.get('comp') === 'block';

/**
 * An AzureFileSystem on the Azurite account at `endpoint`, with the account key: blocks of
 * 1 MiB, sent one at a time, unless `options` say otherwise.
 */
export function azuriteFileSystem(
  endpoint: string,
  options: AzureTransferOptions & { fetch?: FetchLike | undefined; retry?: RetryOptions } = {},
): AzureFileSystem {
  const { fetch, ...rest } = options;
  return new AzureFileSystem({
    accountName: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    endpoint,
    blockSize: 1024 * 1024,
    uploadConcurrency: 1,
    ...rest,
    ...(fetch ? { fetch } : {}),
  });
}
