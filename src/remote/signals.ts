import { IOError } from '../errors.js';

/**
 * AbortSignal helpers that run where `AbortSignal.any` is missing (Safari before 17.4).
 * @module
 */

/** A signal that aborts when any of `signals` does, with its reason. */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 1) return present[0]!;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(present);
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

/**
 * `signal` combined with a timer of `ms` milliseconds (none when 0) whose abort reason is an
 * `ETIMEDOUT` IOError saying `what`; `clear()` stops the timer once the wait is over.
 */
export function timeoutSignal(
  signal: AbortSignal | undefined,
  ms: number,
  what: string,
): { signal: AbortSignal | undefined; clear: () => void } {
  if (ms === 0) return { signal, clear: () => {} };
  const timer = new AbortController();
  const id = setTimeout(() => timer.abort(new IOError(`no answer from ${what} in ${ms} ms`, { code: 'ETIMEDOUT' })), ms);
  return { signal: anySignal([signal, timer.signal]), clear: () => clearTimeout(id) };
}

/** Throws the signal's reason if it has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
