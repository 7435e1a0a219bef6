/**
 * Bounded retries with exponential backoff ("full jitter", so many clients that failed
 * together do not come back together), honouring a server's `Retry-After`.
 * @module
 */
import { IOError } from '../errors.js';
import { checkSize, describe } from '../util/validate.js';

/** How a remote file retries. */
export interface RetryOptions {
  /** How many times a failed request is tried again. Default 5. */
  retries?: number;
  /** The first backoff, in milliseconds; it doubles each attempt. Default 100. */
  baseDelay?: number;
  /**
   * The longest wait between attempts, in milliseconds. A `Retry-After` longer than this
   * gives up at once rather than stalling the caller. Default 10 000.
   */
  maxDelay?: number;
  /**
   * How long to wait, in milliseconds, for a server to answer a request (its status and
   * headers), and for the next bytes of a body being read, before the attempt counts as
   * failed (`ETIMEDOUT`) and is tried again. A request that sends a body gets one more of
   * these per 256 KiB of it, sending included. A server that accepts and never answers
   * cannot hang a call. Default 60 000; 0 waits for ever.
   */
  answerTimeout?: number;
}

/** {@link RetryOptions} with every value set. */
export type RetryPolicy = Required<RetryOptions>;

/** The policy for `options`, checked. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  if (typeof options !== 'object' || options === null) throw new TypeError(`retry must be an object, got ${describe(options)}`);
  return {
    retries: checkSize(options.retries ?? 5, 'retry.retries'),
    baseDelay: checkSize(options.baseDelay ?? 100, 'retry.baseDelay'),
    maxDelay: checkSize(options.maxDelay ?? 10_000, 'retry.maxDelay'),
    answerTimeout: checkSize(options.answerTimeout ?? 60_000, 'retry.answerTimeout'),
  };
}

/** The wait before retry number `attempt` (0 for the first retry): uniform in [0, cap). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelay, policy.baseDelay * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * cap);
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); `undefined` if absent or bad. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A failure worth another attempt. Thrown by an attempt; {@link withRetries} waits and
 * tries again, or throws {@link Transient.error} once the budget is spent.
 */
export class Transient extends Error {
  /**
   * @param error what to report if no attempt succeeds.
   * @param retryAfter what the server asked to wait, in milliseconds.
   */
  constructor(
    readonly error: IOError,
    readonly retryAfter?: number,
  ) {
    super(error.message);
  }
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts; resolves early when
 * `wake` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal, wake?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (wake?.aborted) {
      resolve();
      return;
    }
    const settle = (how: () => void) => () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      wake?.removeEventListener('abort', onWake);
      how();
    };
    const onAbort = settle(() => reject(signal!.reason));
    const onWake = settle(resolve);
    const timer = setTimeout(onWake, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    wake?.addEventListener('abort', onWake, { once: true });
  });
}

/**
 * Runs `attempt` until it returns, retrying while it throws {@link Transient}. `attempt`
 * returns `true` through `madeProgress` when a failed attempt still moved forward (bytes
 * of a body arrived): the budget then starts again, since the next attempt resumes there.
 * Once `stopRetries` aborts (its file is closing), the attempt under way may still succeed,
 * but a failed one is final: a close waits for one attempt, not for every retry.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (madeProgress: () => void) => Promise<T>,
  stopRetries?: AbortSignal,
): Promise<T> {
  let failures = 0;
  for (;;) {
    let progressed = false;
    try {
      return await attempt(() => {
        progressed = true;
      });
    } catch (error) {
      if (!(error instanceof Transient)) throw error;
      if (signal?.aborted) throw signal.reason;
      failures = progressed ? 0 : failures + 1;
      if (stopRetries?.aborted && failures <= policy.retries) throw notRetried(error);
      if (failures > policy.retries) {
        throw new IOError(`gave up after ${failures} attempts: ${error.error.message}`, {
          code: error.error.code,
          cause: error.error,
        });
      }
      if (error.retryAfter !== undefined && error.retryAfter > policy.maxDelay) {
        throw new IOError(
          `the server asked to retry after ${error.retryAfter} ms, more than retry.maxDelay (${policy.maxDelay} ms): ${error.error.message}`,
          {
            code: error.error.code,
            cause: error.error,
          },
        );
      }
      await sleep(error.retryAfter ?? backoffDelay(policy, failures - 1), signal, stopRetries);
      if (stopRetries?.aborted) throw notRetried(error);
    }
  }
}

/** The final error of a read whose retries a close stopped. */
function notRetried(failure: Transient): IOError {
  return new IOError(`${failure.error.message} (not retried: the file is closing)`, {
    code: failure.error.code,
    cause: failure.error,
  });
}
