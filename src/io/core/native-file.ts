import { bytesOf, type Buffer, type BytesLike } from '../../memory/buffer.js';
import { checkOptionalSize, checkSize } from '../../util/validate.js';
import * as algorithms from './algorithms.js';
import * as writes from './writes.js';
import { checkMaxLineLength, checkRanges } from './checks.js';
import { countAnswer } from './contract-checks.js';
import { FileCore } from './file-core.js';
import type { OperationQueue } from './operation-queue.js';
import type { FileInterface, LinesOptions } from './interfaces.js';
import { runAsync, runSync, syncValue, type Steps } from './steps.js';
import type { Copies, DownloadSink, TransferOptions, UploadSource } from './transfer.js';
import type { ByteRange } from './underlying.js';

const DEFAULT_READ1 = 64 * 1024;

/**
 * The base of every file and stream (Arrow's `NativeFile`), and the one core that drives
 * every backend: it keeps the position, the mode and the closed state, validates arguments,
 * checks capabilities and orders operations, then asks the backend ({@link UnderlyingFile})
 * only to move bytes.
 *
 * Its type has every method, checked at run time. The classes built on it narrow their
 * types to what they can do (see `interfaces.ts`), so misuse is a compile error there.
 */
export class NativeFile extends FileCore implements FileInterface {
  /** Reads `n` bytes (all that remain if omitted); fewer at the end, none past it. */
  async read(n?: number): Promise<Uint8Array> {
    const length = checkOptionalSize(n, 'n');
    return this.ordered('readable', (side) => algorithms.readBytes(this.cursor, side, length));
  }

  /** Synchronous {@link NativeFile.read}. */
  readSync(n?: number): Uint8Array {
    const length = checkOptionalSize(n, 'n');
    const side = this.syncSide('readable');
    // Fast path (`algorithms.readBytes` in one backend read, without a generator per call,
    // which costs more than a small read itself: bench/buffer-reader.bench.ts).
    if (this.cursor.seekable && length !== undefined && length <= algorithms.PIECE && side.size !== undefined) {
      const size = countAnswer(side, 'size', syncValue(side.size()));
      if (size > 0) {
        const out = new Uint8Array(Math.min(length, Math.max(0, size - this.cursor.position)));
        if (out.byteLength === 0) return out;
        const got = countAnswer(side, 'readAt', syncValue(this.cursor.pull(side, out)), out.byteLength);
        this.cursor.position += got;
        if (got === out.byteLength || got === 0) return algorithms.trimmed(out, got);
        return algorithms.trimmed(out, got + runSync(algorithms.fill(this.cursor, side, out.subarray(got))));
      }
    }
    return runSync(algorithms.readBytes(this.cursor, side, length));
  }

  /** Reads `n` bytes (all if omitted) as a {@link Buffer}, zero-copy where the backend allows. */
  async readBuffer(n?: number): Promise<Buffer> {
    const length = checkOptionalSize(n, 'n');
    return this.ordered('readable', (side) => algorithms.readBuffer(this.cursor, side, length, this.traits.allocate));
  }

  /** Synchronous {@link NativeFile.readBuffer}. */
  readBufferSync(n?: number): Buffer {
    const length = checkOptionalSize(n, 'n');
    const side = this.syncSide('readable');
    // Fast path (`algorithms.readBuffer` on a backend holding its bytes in memory: one slice,
    // without the generators that cost more than the slice: bench/buffer-reader.bench.ts).
    if (side.sliceAt !== undefined && side.size !== undefined && this.cursor.seekable) {
      const size = countAnswer(side, 'size', syncValue(side.size()));
      if (size > 0) {
        const remaining = Math.max(0, size - this.cursor.position);
        const count = length === undefined ? remaining : Math.min(length, remaining);
        const slice = syncValue(side.sliceAt(this.cursor.position, count));
        if (slice !== undefined) {
          this.cursor.position += count; // the contract: exactly `count` bytes
          return slice;
        }
      }
    }
    return runSync(algorithms.readBuffer(this.cursor, side, length, this.traits.allocate));
  }

  /** Up to `n` bytes at `offset`, without moving the position; positional reads may overlap. */
  readAt(offset: number, n: number): Promise<Uint8Array> {
    // Not `async`: it hands out the backend's own promise. An async method returning it adds a
    // promise and two jobs per read: ~3 µs of a 64 KiB Blob read's ~170 in Firefox
    // (bench/browser.mjs). Throws still become rejections.
    try {
      this.check('readAt');
      checkSize(offset, 'offset');
      checkSize(n, 'n');
      // Fast path (`algorithms.readAt` of a backend returning fresh bytes, without a generator:
      // a Blob's random reads, bench/browser.mjs).
      const side = this.async;
      return tracked(
        this.queue,
        this.traits.untrackedReads,
        side.readFresh === undefined ? runAsync(algorithms.readAt(side, offset, n)) : side.readFresh(offset, n),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Synchronous {@link NativeFile.readAt}. */
  readAtSync(offset: number, n: number): Uint8Array {
    const side = this.syncSide('readAt');
    return runSync(algorithms.readAt(side, checkSize(offset, 'offset'), checkSize(n, 'n')));
  }

  /** Several ranges in one call, results in order; remote files coalesce them. */
  async readRanges(ranges: readonly ByteRange[]): Promise<Uint8Array[]> {
    this.check('readAt');
    const checked = checkRanges(ranges);
    return tracked(this.queue, this.traits.untrackedReads, runAsync(algorithms.readRanges(this.async, checked)));
  }

  /** Synchronous {@link NativeFile.readRanges}. */
  readRangesSync(ranges: readonly ByteRange[]): Uint8Array[] {
    const side = this.syncSide('readAt');
    return runSync(algorithms.readRanges(side, checkRanges(ranges)));
  }

  /** A hint that `ranges` will be read soon; remote files fetch them ahead. */
  willNeed(ranges: readonly ByteRange[]): void {
    this.check('readAt');
    this.async.willNeed?.(checkRanges(ranges));
  }

  /** Fills `view` from the position (less at the end); returns the bytes read. */
  async readInto(view: ArrayBufferView): Promise<number> {
    const into = bytesOf(view, 'view');
    return this.ordered('readable', (side) => algorithms.fill(this.cursor, side, into));
  }

  /** Synchronous {@link NativeFile.readInto}. */
  readIntoSync(view: ArrayBufferView): number {
    const into = bytesOf(view, 'view');
    return runSync(algorithms.fill(this.cursor, this.syncSide('readable'), into));
  }

  /** Reads at most `n` bytes (64 KiB if omitted) with at most one read of the backend. */
  async read1(n = DEFAULT_READ1): Promise<Uint8Array> {
    const length = checkSize(n, 'n');
    return this.ordered('readable', (side) => algorithms.read1(this.cursor, side, length));
  }

  /** Synchronous {@link NativeFile.read1}. */
  read1Sync(n = DEFAULT_READ1): Uint8Array {
    const length = checkSize(n, 'n');
    return runSync(algorithms.read1(this.cursor, this.syncSide('readable'), length));
  }

  /** One line, up to and including `\n`, of at most `limit` bytes; empty at the end. */
  async readline(limit?: number): Promise<Uint8Array> {
    const max = checkOptionalSize(limit, 'limit') ?? Infinity;
    return this.ordered('readable', (side) => algorithms.readline(this.cursor, side, max));
  }

  /** Synchronous {@link NativeFile.readline}. */
  readlineSync(limit?: number): Uint8Array {
    const max = checkOptionalSize(limit, 'limit') ?? Infinity;
    return runSync(algorithms.readline(this.cursor, this.syncSide('readable'), max));
  }

  /** The lines from the position, each ending in `\n` but maybe the last. */
  async *lines(options: LinesOptions = {}): AsyncIterableIterator<Uint8Array> {
    const max = checkMaxLineLength(options);
    for (;;) {
      const line = await this.ordered('readable', (side) => algorithms.readline(this.cursor, side, Infinity, max));
      if (line.byteLength === 0) return;
      yield line;
    }
  }

  /** Synchronous {@link NativeFile.lines}. */
  *linesSync(options: LinesOptions = {}): IterableIterator<Uint8Array> {
    const max = checkMaxLineLength(options);
    for (;;) {
      const line = runSync(algorithms.readline(this.cursor, this.syncSide('readable'), Infinity, max));
      if (line.byteLength === 0) return;
      yield line;
    }
  }

  /** Chunks of up to 64 KiB from the position to the end, as a `ReadableStream` yields them. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read1(); chunk.byteLength > 0; chunk = await this.read1()) yield chunk;
  }

  /** Writes all of `data` at the position; returns the number of bytes written. */
  async write(data: BytesLike): Promise<number> {
    const bytes = bytesOf(data, 'data');
    return this.ordered('writable', (side) => writes.write(this.cursor, side, bytes));
  }

  /** Synchronous {@link NativeFile.write}. */
  writeSync(data: BytesLike): number {
    const bytes = bytesOf(data, 'data');
    const side = this.syncSide('writable');
    // Fast path (`writes.write` of one piece, without a generator per call).
    if (bytes.byteLength > 0 && bytes.byteLength <= algorithms.PIECE) {
      this.cursor.forget();
      syncValue(side.writeAt === undefined ? side.write!(bytes) : side.writeAt(this.cursor.position, bytes));
      this.cursor.position += bytes.byteLength;
      return bytes.byteLength;
    }
    return runSync(writes.write(this.cursor, side, bytes));
  }

  /** Writes all of `data` at `offset` without moving the position. */
  async writeAt(offset: number, data: BytesLike): Promise<number> {
    const bytes = bytesOf(data, 'data');
    checkSize(offset, 'offset');
    return this.ordered('writeAt', (side) => writes.writeAt(this.cursor, side, offset, bytes));
  }

  /** Synchronous {@link NativeFile.writeAt}. */
  writeAtSync(offset: number, data: BytesLike): number {
    const bytes = bytesOf(data, 'data');
    return runSync(writes.writeAt(this.cursor, this.syncSide('writeAt'), checkSize(offset, 'offset'), bytes));
  }

  /** Cuts or extends the file to `size` bytes, in order with the writes before it; the position stays. */
  async truncate(size: number): Promise<void> {
    checkSize(size, 'size');
    return this.ordered('writable', (side) => writes.truncate(this.cursor, side, size));
  }

  /** Synchronous {@link NativeFile.truncate}. */
  truncateSync(size: number): void {
    checkSize(size, 'size');
    runSync(writes.truncate(this.cursor, this.syncSide('writable'), size));
  }

  /** The size in bytes: of the file, or for output streams, of what was written. */
  async size(): Promise<number> {
    return this.ordered('open', (side) => this.sizeSteps(side));
  }

  /** Synchronous {@link NativeFile.size}. */
  sizeSync(): number {
    return runSync(this.sizeSteps(this.syncSide('open')));
  }

  /** Pushes buffered writes to the backend. */
  async flush(): Promise<void> {
    return this.ordered('open', (side) => call(side.flush?.()));
  }

  /** Synchronous {@link NativeFile.flush}. */
  flushSync(): void {
    runSync(call(this.syncSide('open').flush?.()));
  }

  /**
   * Writes everything `source` yields, from the position; returns the number of bytes copied.
   * One operation in call order: calls made meanwhile wait for it, and `close()` lets it end.
   * A Blob or ReadableStream goes whole to a backend that takes it (`uploadFrom`); otherwise
   * it is copied chunk by chunk.
   */
  async upload(source: UploadSource, options: TransferOptions = {}): Promise<number> {
    this.check('writable');
    return this.queue.run(async () => (await this.#copies()).upload(this.cursor, this.async, source, options));
  }

  /**
   * Copies the file (from the start, if seekable) into `sink`; returns the bytes copied. One
   * operation in call order, as {@link NativeFile.upload} is.
   */
  async download(sink: DownloadSink, options: TransferOptions = {}): Promise<number> {
    this.check('readable');
    const size = this.traits.seekable ? () => Promise.resolve(runAsync(this.sizeSteps(this.async))) : undefined;
    return this.queue.run(async () => (await this.#copies()).download(this.cursor, this.async, size, sink, options));
  }

  /**
   * The code of upload and download: the file class's own, else loaded now (apps that never
   * copy do not ship it). Where `import()` is refused (module service workers), its error
   * says so.
   */
  async #copies(): Promise<Copies> {
    return this.traits.copies ?? (await import('./copy.js')).copies;
  }
}

function* call(result: unknown): Steps<void> {
  yield result;
}

/**
 * A positional read in flight, tracked so that `close` waits for it, unless the backend's reads
 * use nothing `close` releases (`FileTraits.untrackedReads`: a Blob's).
 */
function tracked<T>(queue: OperationQueue, untracked: boolean | undefined, read: T | PromiseLike<T>): Promise<T> {
  const pending = Promise.resolve(read);
  return untracked ? pending : queue.parallel(pending);
}
