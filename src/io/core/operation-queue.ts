/**
 * Orders a file's operations: each position-changing call starts when the calls before it
 * have settled, as a `WritableStream` queues writes, so `Promise.all([f.read(5), f.read(5)])`
 * reads bytes 0-4 then 5-9. An operation on a synchronous backend completes within the call
 * when nothing is pending, so it costs no extra tick. Positional reads run in parallel and
 * are only tracked, so that `close` waits for them.
 */
export class OperationQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly #parallel = new Set<Promise<unknown>>();

  /** Whether an ordered operation has not settled yet. */
  /** Whether any operation, ordered or positional, has not settled yet. */
  get active(): boolean {
    return this.#pending > 0 || this.#parallel.size > 0;
  }

  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Runs `start` after every ordered operation before it; `start` returns a value or a promise. */
  run<T>(start: () => T | PromiseLike<T>): Promise<T> {
    if (this.#pending === 0) {
      const result = start();
      if (!isThenable(result)) return Promise.resolve(result);
      return this.#track(Promise.resolve(result));
    }
    return this.#track(this.#tail.then(start));
  }

  /** Tracks an operation that may overlap others (a positional read). */
  parallel<T>(operation: Promise<T>): Promise<T> {
    this.#parallel.add(operation);
    const forget = () => void this.#parallel.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  /** Settles when every operation queued or started so far has settled. */
  async drained(): Promise<void> {
    await this.#tail;
    await Promise.allSettled([...this.#parallel]);
  }

  #track<T>(operation: Promise<T>): Promise<T> {
    this.#pending += 1;
    this.#tail = operation.then(noop, noop).then(() => {
      this.#pending -= 1;
    });
    return operation;
  }
}

function noop(): void {}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
