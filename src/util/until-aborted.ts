/**
 * Waiting for a promise no longer than a signal allows, written once.
 * @module
 */

/**
 * `promise`, or a rejection with `signal`'s reason as soon as it aborts (at once if it has);
 * the listener goes with the wait. What `promise` stands for goes on: the caller decides what
 * becomes of it.
 */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(signal.reason)));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
