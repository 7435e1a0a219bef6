/**
 * A counting semaphore for requests: at most `max` tasks run at once, the rest wait in
 * call order. Remote stores throttle clients that open too many connections, and browsers
 * queue beyond six per host anyway.
 * @module
 */
import { checkPositiveSize } from '../util/validate.js';

/** Runs tasks, at most `max` at a time. */
export class Limiter {
  readonly #max: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  /** @param max how many tasks may run at once (a positive integer). */
  constructor(max: number) {
    this.#max = checkPositiveSize(max, 'concurrency');
  }

  /** Runs `task` when a slot is free; settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next task, so the count never dips and overshoots.
      if (next !== undefined) next();
      else this.#running -= 1;
    }
  }
}
