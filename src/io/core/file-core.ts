// Files and buffers implement `Symbol.dispose`/`Symbol.asyncDispose`: the declarations bring
// TypeScript's library of those names with them (`preserve`), for programs that have neither
// it nor @types/node (a browser app with lib ES2022 and DOM, a worker).
/// <reference lib="esnext.disposable" preserve="true" />
import { IOError, UnsupportedOperationError } from '../../errors.js';
import type { FileMode } from '../../util/file-mode.js';
import { checkInteger, describe } from '../../util/validate.js';
import * as algorithms from './algorithms.js';
import { checkCapability, type Need } from './checks.js';
import { nameBackend } from './contract-checks.js';
import { Cursor } from './cursor.js';
import type { FileTraits } from './file-traits.js';
import { OperationQueue } from './operation-queue.js';
import { runAsync, runSync, type Steps } from './steps.js';
import type { Awaitable, UnderlyingFile } from './underlying.js';

/**
 * The state every file has and the machinery that drives a backend: position, mode, closed
 * state, capability checks and the queue that orders operations. {@link NativeFile} adds the
 * I/O methods on top; backends never see any of this.
 */
export class FileCore {
  /** How the file is open. */
  readonly mode: FileMode;
  /** Whether the `*Sync` methods work. */
  readonly isSync: boolean;
  protected readonly traits: FileTraits;
  protected readonly sync: UnderlyingFile | undefined;
  protected readonly async: UnderlyingFile;
  protected readonly cursor: Cursor;
  protected readonly queue = new OperationQueue();
  protected closing: Promise<void> | undefined;

  /**
   * @param underlying the backend.
   * @param traits what the core needs to know of it.
   */
  constructor(underlying: UnderlyingFile, traits: FileTraits) {
    this.mode = traits.mode;
    this.isSync = traits.sync;
    this.traits = traits;
    this.sync = traits.sync ? underlying : undefined;
    this.async = traits.async ?? underlying;
    nameBackend(underlying, traits.kind);
    if (traits.async !== undefined) nameBackend(traits.async, traits.kind);
    this.cursor = new Cursor(traits.seekable, traits.position ?? 0);
  }

  /** Whether {@link NativeFile.close} (or `abort`) was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Whether reads are allowed. */
  readable(): boolean {
    this.check('open');
    return this.mode === 'rb' || this.mode === 'rb+';
  }

  /** Whether writes are allowed. */
  writable(): boolean {
    this.check('open');
    return this.mode !== 'rb';
  }

  /** Whether `seek` and positional reads are allowed. */
  seekable(): boolean {
    this.check('open');
    return this.traits.seekable;
  }

  /**
   * Moves the position and returns it; never does I/O.
   * @param whence `0` from the start, `1` from the current position, `2` from the end.
   * @throws RangeError for a negative target, or one past the end where the backend forbids it.
   */
  seek(offset: number, whence: 0 | 1 | 2 = 0): number {
    this.check('seekable');
    this.checkIdle('seek');
    checkInteger(offset, 'offset');
    let base: number;
    if (whence === 0) base = 0;
    else if (whence === 1) base = this.cursor.position;
    else if (whence === 2) base = this.sizeWithoutIo();
    else throw new RangeError(`whence must be 0, 1 or 2, got ${describe(whence)}`);
    const target = base + offset;
    if (target < 0) throw new RangeError(`cannot seek to negative position ${target}`);
    if (this.traits.seekPastEnd === false && target > this.sizeWithoutIo()) {
      throw new RangeError(`cannot seek to ${target}, past the end of ${this.traits.kind} (${this.sizeWithoutIo()} bytes)`);
    }
    this.cursor.position = target;
    return target;
  }

  /** The current position. */
  tell(): number {
    this.check('open');
    return this.cursor.position;
  }

  /**
   * Closes the file once every pending operation has settled (positional reads that use
   * nothing closing releases are not waited for: `FileTraits.untrackedReads`); a read waiting
   * on a stream that may never answer is interrupted instead, and rejects with
   * `ClosedFileError`. Closing again does nothing.
   */
  async close(): Promise<void> {
    this.closing ??= this.#release(() => this.async.close?.());
    return this.closing;
  }

  /** @internal Interrupts reads waiting on a source that may never answer (`UnderlyingFile.interrupt`). */
  interrupt(): void {
    this.async.interrupt?.();
  }

  /** Synchronous {@link NativeFile.close}. */
  closeSync(): void {
    if (this.closing !== undefined) return;
    const side = this.syncSide('open');
    // A positional read still in flight would read whatever next takes its descriptor.
    if (this.queue.active) {
      throw new IOError(`closeSync on ${this.traits.kind} while a read is pending: await it, or use close()`, { code: 'EBUSY' });
    }
    this.closing = Promise.resolve();
    side.close?.();
  }

  /** Discards what was written where the store allows, and closes (Arrow's `Abort`). */
  async abort(reason?: unknown): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const side = this.async;
    this.closing = this.#release(() => (side.abort === undefined ? side.close?.() : side.abort(reason)));
    return this.closing;
  }

  /**
   * Runs `release` once every pending operation has settled, after interrupting the reads
   * that wait on a source (they would never settle). With nothing pending it runs now, not a
   * tick later, so that `getValue()` right after an unawaited `close()` finds the result.
   */
  #release(release: () => Awaitable<void>): Promise<void> {
    this.interrupt();
    return this.queue.active ? this.queue.drained().then(release) : new Promise((resolve) => resolve(release()));
  }

  /** Closes the file, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Closes the file, for `using` (synchronous files). */
  [Symbol.dispose](): void {
    this.closeSync();
  }

  protected *sizeSteps(side: UnderlyingFile): Steps<number> {
    if (side.size === undefined) {
      if (!this.writable()) throw new UnsupportedOperationError(`the size of ${this.traits.kind} is not known`);
      return this.cursor.position;
    }
    return yield* algorithms.sizeOf(side);
  }

  /** Starts an operation in call order after the pending ones, on the async side. */
  protected ordered<T>(need: Need, steps: (side: UnderlyingFile) => Steps<T>): Promise<T> {
    this.check(need);
    return this.queue.run(() => runAsync(steps(this.async)));
  }

  /** The synchronous side, after checking that `need` holds and nothing async is pending. */
  protected syncSide(need: Need): UnderlyingFile {
    this.check(need);
    if (this.sync === undefined) {
      throw new UnsupportedOperationError(`${this.traits.kind} is asynchronous: use the async methods`);
    }
    this.checkIdle('a synchronous call');
    return this.sync;
  }

  protected check(need: Need): void {
    const { kind, seekable } = this.traits;
    checkCapability({ kind, seekable, mode: this.mode, closed: this.closing !== undefined }, need);
  }

  protected checkIdle(what: string): void {
    if (this.queue.busy) {
      throw new IOError(`${what} on ${this.traits.kind} while an async operation is pending: await it first`, { code: 'EBUSY' });
    }
  }

  protected sizeWithoutIo(): number {
    const { knownSize, kind } = this.traits;
    if (knownSize !== undefined) return knownSize();
    if (this.sync !== undefined) return runSync(this.sizeSteps(this.sync));
    throw new UnsupportedOperationError(`${kind} cannot seek from the end without I/O`);
  }
}

/**
 * For `getValue()` after `closeSync()` found no result: a `close()` still waits for pending
 * writes, and the result is made when they settled.
 */
export function closeStillPending(kind: string): never {
  throw new IOError(`getValue() on ${kind} while close() waits for pending writes: await it first`, { code: 'EBUSY' });
}
