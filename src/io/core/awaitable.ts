import type { Awaitable } from './underlying.js';

/** Whether `value` is a promise (or any thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * `then(value)` at once when `value` is not a promise, else after it settles: lets a small
 * backend that serves both a synchronous and an asynchronous file write its logic once.
 */
export function andThen<T, U>(value: Awaitable<T>, then: (settled: T) => Awaitable<U>): Awaitable<U> {
  return isThenable(value) ? Promise.resolve(value).then(then) : then(value);
}
