/**
 * A full storage quota, however the engine reports it, as one `ENOSPC` error naming the bytes
 * that did not fit and the origin's quota from `navigator.storage.estimate()`.
 *
 * How engines report it (Chromium 156, Firefox 153 ESR):
 * - `createWritable()` streams, everywhere: `write()` and `truncate()` reject with a
 *   `QuotaExceededError`; the stream is then errored and what it held is discarded.
 * - Sync access handles, Chromium with a profile on disk: `write()` and `truncate()` throw a
 *   `QuotaExceededError`.
 * - Sync access handles, Chromium incognito (storage in memory): `write()` writes what fits
 *   and returns 4294967288 (`base::File::FILE_ERROR_NO_SPACE`, -8, as an unsigned 32-bit
 *   count); `truncate()` leaves the size unchanged without an error.
 * - Sync access handles, Firefox: `write()` returns 0; `truncate()` throws an exception
 *   named `NS_ERROR_FILE_NO_DEVICE_SPACE` that is not a `DOMException`.
 * @module
 */
import { IOError, OutOfMemoryError } from '../errors.js';

/** The origin's storage, as `navigator.storage.estimate()` gives it, in bytes. */
export interface QuotaFigures {
  /** Bytes the origin uses. */
  readonly usage: number;
  /** The most the origin may use. */
  readonly quota: number;
}

/** The names engines give a full quota (Firefox's sync `truncate()` throws the second). */
const QUOTA_NAMES = /^(QuotaExceededError|NS_ERROR_FILE_NO_DEVICE_SPACE)$/;

/** Whether `cause` is an engine's way of saying the quota is full. */
export const isQuotaFailure = (cause: unknown): boolean => QUOTA_NAMES.test(String((cause as { name?: unknown } | null)?.name));

/**
 * Chromium's sync access handles in incognito windows return a `base::File::Error` (negative)
 * as an unsigned 32-bit count: a count larger than the bytes given is one of these.
 */
export const NO_SPACE_COUNT = 2 ** 32 - 8;

/** The figures last estimated in this thread, for errors thrown where nothing can be awaited. */
let latest: QuotaFigures | undefined;

/**
 * `navigator.storage.estimate()` now, remembered for synchronous errors; `undefined` where
 * the runtime has no estimate or it fails.
 */
export async function estimateQuota(): Promise<QuotaFigures | undefined> {
  try {
    // Throws where there is no estimate(): WebKitGTK, runtimes without navigator.storage.
    const { usage, quota } = await navigator.storage.estimate();
    return usage === undefined || quota === undefined ? undefined : (latest = { usage, quota });
  } catch {
    return undefined;
  }
}

/** What did not fit, for the message: the operation and the bytes it needed. */
export interface Shortfall {
  /** The operation, such as `writing at offset 0 of data.bin`. */
  readonly what: string;
  /** The bytes it needed room for. */
  readonly needed: number;
  /** What the file holds now, such as `data.bin keeps its 0 bytes`. */
  readonly outcome?: string;
}

/** The shortfall and cause of each error {@link quotaError} made, so a fresh estimate can rebuild it. */
const made = new WeakMap<IOError, { shortfall: Shortfall; cause: unknown }>();

/**
 * The `ENOSPC` error for `shortfall`, with the figures of `figures` (fresh), or else of the
 * last estimate made in this thread (said to be so).
 */
export function quotaError(shortfall: Shortfall, cause: unknown, figures?: QuotaFigures): OutOfMemoryError {
  const known = figures ?? latest;
  const state =
    known === undefined
      ? 'navigator.storage.estimate() gave no figures'
      : `${known.usage} of ${known.quota} bytes in use${figures === undefined ? ' when last estimated' : ''}, by navigator.storage.estimate()`;
  const outcome = shortfall.outcome === undefined ? '' : `; ${shortfall.outcome}`;
  const error = new OutOfMemoryError(
    `the storage quota is full: ${shortfall.what} needed room for ${shortfall.needed} more bytes (${state})${outcome}`,
    { code: 'ENOSPC', cause },
  );
  made.set(error, { shortfall, cause });
  return error;
}

/**
 * `error` again with the quota estimated now, if {@link quotaError} made it (its figures may
 * be old: a synchronous write cannot wait for an estimate); anything else unchanged.
 */
export async function withCurrentQuota(error: unknown): Promise<unknown> {
  const origin = made.get(error as IOError);
  if (origin === undefined) return error;
  const figures = await estimateQuota();
  return figures === undefined ? error : quotaError(origin.shortfall, origin.cause, figures);
}
