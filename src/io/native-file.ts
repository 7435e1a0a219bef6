import { ClosedFileError, UnsupportedOperationError } from '../errors.js';
import { allocateBuffer } from '../memory/allocate-buffer.js';
import { bytesOf, type Buffer, type BytesLike } from '../memory/buffer.js';
import { checkInteger, checkOptionalSize, checkSize, describe } from '../util/validate.js';
import type { FileMode } from './file-mode.js';
import { copyFromSource, copyToSink, type TransferOptions, type UploadSource, type DownloadSink } from './transfer.js';

/** Largest piece read at once when the total is not known in advance. */
const STREAM_CHUNK = 64 * 1024;
/** How far `readline` looks ahead per read on a seekable file. */
const LINE_LOOKAHEAD = 4096;
const NEWLINE = 0x0a;

/**
 * The base of every file and stream (Arrow's `NativeFile`): one surface for in-memory
 * buffers, OS files, memory maps, OPFS, Blobs and Web Streams.
 *
 * Every operation has an async form. Files whose backend is synchronous (`isSync`) also have
 * `*Sync` forms; on other files those throw {@link UnsupportedOperationError}. `seek` and
 * `tell` never do I/O. After `close()`, every method except `close` throws
 * {@link ClosedFileError}.
 *
 * Backends extend this class and implement the protected `*Impl` hooks: a synchronous backend
 * the `*SyncImpl` ones (the async hooks default to them), an asynchronous backend the async
 * ones. The base class validates arguments, checks the mode and keeps the position.
 */
export abstract class NativeFile implements AsyncDisposable, Disposable {
  /** How the file is open. */
  abstract readonly mode: FileMode;
  /** Whether the `*Sync` methods work: the backend does its I/O synchronously. */
  abstract readonly isSync: boolean;
  /** The current position; backends that append or stream keep it up to date through the base. */
  protected position = 0;
  #closed = false;

  /** Whether {@link NativeFile.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether reads are allowed. */
  readable(): boolean {
    this.checkOpen();
    return this.mode === 'rb' || this.mode === 'rb+';
  }

  /** Whether writes are allowed. */
  writable(): boolean {
    this.checkOpen();
    return this.mode !== 'rb';
  }

  /** Whether `seek` and `readAt` are allowed. */
  seekable(): boolean {
    this.checkOpen();
    return this.isSeekable();
  }

  // ---- Position ------------------------------------------------------------------------

  /**
   * Moves the position and returns it.
   * @param whence `0` from the start, `1` from the current position, `2` from the end.
   * @throws RangeError if the new position would be negative.
   */
  seek(offset: number, whence: 0 | 1 | 2 = 0): number {
    this.checkOpen();
    if (!this.isSeekable()) throw new UnsupportedOperationError(`${this.kind()} is not seekable`);
    checkInteger(offset, 'offset');
    let base: number;
    if (whence === 0) base = 0;
    else if (whence === 1) base = this.position;
    else if (whence === 2) base = this.sizeForSeek();
    else throw new RangeError(`whence must be 0, 1 or 2, got ${describe(whence)}`);
    const target = base + offset;
    if (target < 0) throw new RangeError(`cannot seek to negative position ${target}`);
    this.checkSeekTarget(target);
    this.position = target;
    return target;
  }

  /** The current position. */
  tell(): number {
    this.checkOpen();
    return this.position;
  }

  // ---- Reading ---------------------------------------------------------------------------

  /** Reads `n` bytes (all that remain if omitted); fewer at the end, none past it. */
  async read(n?: number): Promise<Uint8Array> {
    this.checkReadable();
    return this.readCopy(checkOptionalSize(n, 'n'));
  }

  /** Synchronous {@link NativeFile.read}. */
  readSync(n?: number): Uint8Array {
    this.checkReadable(true);
    return this.readCopySync(checkOptionalSize(n, 'n'));
  }

  /** Reads `n` bytes (all if omitted) as a {@link Buffer}, zero-copy where the backend allows. */
  async readBuffer(n?: number): Promise<Buffer> {
    this.checkReadable();
    const length = checkOptionalSize(n, 'n');
    if (this.isSeekable()) {
      const count = this.clampToRemaining(length, await this.sizeImpl());
      const buffer = await this.readBufferAtImpl(this.position, count);
      this.position += buffer.size;
      return buffer;
    }
    return toPoolBuffer(await this.readCopy(length));
  }

  /** Synchronous {@link NativeFile.readBuffer}. */
  readBufferSync(n?: number): Buffer {
    this.checkReadable(true);
    const length = checkOptionalSize(n, 'n');
    if (this.isSeekable()) {
      const count = this.clampToRemaining(length, this.sizeSyncImpl());
      const buffer = this.readBufferAtSyncImpl(this.position, count);
      this.position += buffer.size;
      return buffer;
    }
    return toPoolBuffer(this.readCopySync(length));
  }

  /** Reads up to `n` bytes at `offset` without moving the position. */
  async readAt(offset: number, n: number): Promise<Uint8Array> {
    this.checkPositional(offset, n);
    const count = Math.min(n, Math.max(0, (await this.sizeImpl()) - offset));
    const out = new Uint8Array(count);
    return trimmed(out, await this.fillAt(offset, out));
  }

  /** Synchronous {@link NativeFile.readAt}. */
  readAtSync(offset: number, n: number): Uint8Array {
    this.checkPositional(offset, n, true);
    const count = Math.min(n, Math.max(0, this.sizeSyncImpl() - offset));
    const out = new Uint8Array(count);
    return trimmed(out, this.fillAtSync(offset, out));
  }

  /** Fills `view` from the current position (less at the end of the file); returns the bytes read. */
  async readInto(view: ArrayBufferView): Promise<number> {
    this.checkReadable();
    const got = await this.fillAt(this.position, bytesOf(view, 'view'));
    this.position += got;
    return got;
  }

  /** Synchronous {@link NativeFile.readInto}. */
  readIntoSync(view: ArrayBufferView): number {
    this.checkReadable(true);
    const got = this.fillAtSync(this.position, bytesOf(view, 'view'));
    this.position += got;
    return got;
  }

  /** Reads at most `n` bytes (64 KiB if omitted) with at most one read of the backend. */
  async read1(n = STREAM_CHUNK): Promise<Uint8Array> {
    this.checkReadable();
    const out = new Uint8Array(checkSize(n, 'n'));
    const got = out.byteLength === 0 ? 0 : await this.readAtImpl(this.position, out);
    this.position += got;
    return trimmed(out, got);
  }

  /** Synchronous {@link NativeFile.read1}. */
  read1Sync(n = STREAM_CHUNK): Uint8Array {
    this.checkReadable(true);
    const out = new Uint8Array(checkSize(n, 'n'));
    const got = out.byteLength === 0 ? 0 : this.readAtSyncImpl(this.position, out);
    this.position += got;
    return trimmed(out, got);
  }

  /**
   * Reads one line, up to and including `\n` (at most `limit` bytes). Empty at the end.
   * Non-seekable streams are read a byte at a time: wrap them in a `BufferedInputStream`.
   */
  async readline(limit?: number): Promise<Uint8Array> {
    this.checkReadable();
    const max = checkOptionalSize(limit, 'limit') ?? Infinity;
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < max) {
      const chunk = new Uint8Array(Math.min(this.isSeekable() ? LINE_LOOKAHEAD : 1, max - total));
      const got = await this.readAtImpl(this.position, chunk);
      if (got === 0) break;
      const line = this.takeLine(chunk.subarray(0, got), parts);
      total += line.byteLength;
      if (line.byteLength < got || line[line.byteLength - 1] === NEWLINE) break;
    }
    return concat(parts, total);
  }

  /** Synchronous {@link NativeFile.readline}. */
  readlineSync(limit?: number): Uint8Array {
    this.checkReadable(true);
    const max = checkOptionalSize(limit, 'limit') ?? Infinity;
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < max) {
      const chunk = new Uint8Array(Math.min(this.isSeekable() ? LINE_LOOKAHEAD : 1, max - total));
      const got = this.readAtSyncImpl(this.position, chunk);
      if (got === 0) break;
      const line = this.takeLine(chunk.subarray(0, got), parts);
      total += line.byteLength;
      if (line.byteLength < got || line[line.byteLength - 1] === NEWLINE) break;
    }
    return concat(parts, total);
  }

  /** The lines of the file from the current position, each ending in `\n` but maybe the last. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let line = await this.readline(); line.byteLength > 0; line = await this.readline()) {
      yield line;
    }
  }

  /** Synchronous iteration over lines, for files where `isSync`. */
  *linesSync(): IterableIterator<Uint8Array> {
    for (let line = this.readlineSync(); line.byteLength > 0; line = this.readlineSync()) {
      yield line;
    }
  }

  // ---- Writing and the rest ------------------------------------------------------------------

  /** Writes all of `data` at the position; returns the number of bytes written. */
  async write(data: BytesLike): Promise<number> {
    this.checkWritable();
    const bytes = bytesOf(data, 'data');
    await this.writeImpl(this.position, bytes);
    this.position += bytes.byteLength;
    return bytes.byteLength;
  }

  /** Synchronous {@link NativeFile.write}. */
  writeSync(data: BytesLike): number {
    // Small writes are the hot path of output streams: test the common case first.
    if (this.#closed || !this.isSync || this.mode === 'rb') this.checkWritable(true);
    const bytes = data instanceof Uint8Array && data.byteLength > 0 ? data : bytesOf(data, 'data');
    this.writeSyncImpl(this.position, bytes);
    this.position += bytes.byteLength;
    return bytes.byteLength;
  }

  /** The size in bytes: of the file, or for output streams, of what was written. */
  async size(): Promise<number> {
    this.checkOpen();
    return this.sizeImpl();
  }

  /** Synchronous {@link NativeFile.size}. */
  sizeSync(): number {
    this.checkOpen(true);
    return this.sizeSyncImpl();
  }

  /** Pushes buffered writes to the backend. */
  async flush(): Promise<void> {
    this.checkOpen();
    await this.flushImpl();
  }

  /** Synchronous {@link NativeFile.flush}. */
  flushSync(): void {
    this.checkOpen(true);
    this.flushSyncImpl();
  }

  /** Closes the file and frees its resources. Closing again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.closeImpl();
  }

  /** Synchronous {@link NativeFile.close}. */
  closeSync(): void {
    if (this.#closed) return;
    if (!this.isSync) throw this.notSync('closeSync');
    this.#closed = true;
    this.closeSyncImpl();
  }

  /** Closes the file, for `await using` declarations. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Closes the file, for `using` declarations (files where `isSync`). */
  [Symbol.dispose](): void {
    this.closeSync();
  }

  /**
   * Writes everything `source` yields to this file, from the current position; returns the
   * number of bytes copied. `source` is a readable {@link NativeFile}, a `ReadableStream`, or an
   * (async) iterable of bytes.
   */
  async upload(source: UploadSource, options: TransferOptions = {}): Promise<number> {
    this.checkWritable();
    return copyFromSource(source, (chunk) => this.write(chunk), options);
  }

  /**
   * Reads the whole file, from the start if seekable, into `sink`: a writable
   * {@link NativeFile} or a `WritableStream`. Returns the number of bytes copied.
   */
  async download(sink: DownloadSink, options: TransferOptions = {}): Promise<number> {
    this.checkReadable();
    if (this.isSeekable()) this.position = 0;
    const total = this.isSeekable() ? await this.sizeImpl() : undefined;
    return copyToSink((into) => this.readInto(into), total, sink, options);
  }

  // ---- Backend hooks ---------------------------------------------------------------------

  /** Whether the backend supports random access. */
  protected abstract isSeekable(): boolean;

  /** Reads up to `into.byteLength` bytes at `position` (streams ignore it); 0 at the end. */
  protected readAtSyncImpl(_position: number, _into: Uint8Array): number {
    throw this.notSync('read');
  }

  /** Writes all of `bytes` at `position` (appending streams ignore it). */
  protected writeSyncImpl(_position: number, _bytes: Uint8Array): void {
    throw this.notSync('write');
  }

  /** The size in bytes. */
  protected sizeSyncImpl(): number {
    throw this.notSync('size');
  }

  /** Pushes buffered writes down. */
  protected flushSyncImpl(): void {}

  /** Releases the backend's resources; called once. */
  protected closeSyncImpl(): void {}

  /** `length` bytes at `position` as a pool buffer; backends with memory of their own slice it instead. */
  protected readBufferAtSyncImpl(position: number, length: number): Buffer {
    const buffer = allocateBuffer(length);
    const got = this.fillAtSync(position, buffer.view);
    return got === length ? buffer : shrink(buffer, got);
  }

  /** Async {@link NativeFile.readAtSyncImpl}. */
  protected async readAtImpl(position: number, into: Uint8Array): Promise<number> {
    return this.readAtSyncImpl(position, into);
  }

  /** Async {@link NativeFile.writeSyncImpl}. */
  protected async writeImpl(position: number, bytes: Uint8Array): Promise<void> {
    this.writeSyncImpl(position, bytes);
  }

  /** Async {@link NativeFile.sizeSyncImpl}. */
  protected async sizeImpl(): Promise<number> {
    return this.sizeSyncImpl();
  }

  /** Async {@link NativeFile.flushSyncImpl}. */
  protected async flushImpl(): Promise<void> {
    this.flushSyncImpl();
  }

  /** Async {@link NativeFile.closeSyncImpl}. */
  protected async closeImpl(): Promise<void> {
    this.closeSyncImpl();
  }

  /** Async {@link NativeFile.readBufferAtSyncImpl}. */
  protected async readBufferAtImpl(position: number, length: number): Promise<Buffer> {
    if (this.isSync) return this.readBufferAtSyncImpl(position, length);
    const buffer = allocateBuffer(length);
    const got = await this.fillAt(position, buffer.view);
    return got === length ? buffer : shrink(buffer, got);
  }

  /** The size `seek(offset, 2)` counts from; it must not do I/O. */
  protected sizeForSeek(): number {
    if (!this.isSync) {
      throw new UnsupportedOperationError(`${this.kind()} cannot seek from the end without I/O`);
    }
    return this.sizeSyncImpl();
  }

  /** Rejects seek targets the backend cannot reach (for example past the end). */
  protected checkSeekTarget(_position: number): void {}

  /** Names the backend in messages. */
  protected kind(): string {
    return this.constructor.name;
  }

  // ---- Checks and helpers --------------------------------------------------------------------

  /** @throws ClosedFileError if closed; UnsupportedOperationError for a sync call on an async file. */
  protected checkOpen(sync = false): void {
    if (this.#closed) throw new ClosedFileError(`I/O operation on closed ${this.kind()}`);
    if (sync && !this.isSync) throw this.notSync('this');
  }

  protected checkReadable(sync = false): void {
    this.checkOpen(sync);
    if (this.mode !== 'rb' && this.mode !== 'rb+') {
      throw new UnsupportedOperationError(`${this.kind()} is not readable (mode '${this.mode}')`);
    }
  }

  protected checkWritable(sync = false): void {
    this.checkOpen(sync);
    if (this.mode === 'rb') {
      throw new UnsupportedOperationError(`${this.kind()} is not writable (mode '${this.mode}')`);
    }
  }

  private checkPositional(offset: number, n: number, sync = false): void {
    this.checkReadable(sync);
    if (!this.isSeekable()) throw new UnsupportedOperationError(`${this.kind()} does not support readAt`);
    checkSize(offset, 'offset');
    checkSize(n, 'n');
  }

  private notSync(method: string): UnsupportedOperationError {
    return new UnsupportedOperationError(
      `${this.kind()} is asynchronous: use the async ${method === 'this' ? 'method' : method} instead`,
    );
  }

  private clampToRemaining(length: number | undefined, size: number): number {
    const remaining = Math.max(0, size - this.position);
    return length === undefined ? remaining : Math.min(length, remaining);
  }

  /** Reads until `into` is full or the file ends; returns the bytes read. */
  private fillAtSync(position: number, into: Uint8Array): number {
    let filled = 0;
    while (filled < into.byteLength) {
      const got = this.readAtSyncImpl(position + filled, into.subarray(filled));
      if (got === 0) break;
      filled += got;
    }
    return filled;
  }

  private async fillAt(position: number, into: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < into.byteLength) {
      const got = await this.readAtImpl(position + filled, into.subarray(filled));
      if (got === 0) break;
      filled += got;
    }
    return filled;
  }

  private readCopySync(length: number | undefined): Uint8Array {
    if (this.isSeekable()) {
      const out = new Uint8Array(this.clampToRemaining(length, this.sizeSyncImpl()));
      const got = this.fillAtSync(this.position, out);
      this.position += got;
      return trimmed(out, got);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    const limit = length ?? Infinity;
    while (total < limit) {
      const chunk = new Uint8Array(Math.min(STREAM_CHUNK, limit - total));
      const got = this.fillAtSync(this.position, chunk);
      this.position += got;
      total += got;
      parts.push(chunk.subarray(0, got));
      if (got < chunk.byteLength) break;
    }
    return concat(parts, total);
  }

  private async readCopy(length: number | undefined): Promise<Uint8Array> {
    if (this.isSeekable()) {
      const out = new Uint8Array(this.clampToRemaining(length, await this.sizeImpl()));
      const got = await this.fillAt(this.position, out);
      this.position += got;
      return trimmed(out, got);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    const limit = length ?? Infinity;
    while (total < limit) {
      const chunk = new Uint8Array(Math.min(STREAM_CHUNK, limit - total));
      const got = await this.fillAt(this.position, chunk);
      this.position += got;
      total += got;
      parts.push(chunk.subarray(0, got));
      if (got < chunk.byteLength) break;
    }
    return concat(parts, total);
  }

  /**
   * Keeps the part of `chunk` up to and including the first newline, adds it to `parts` and
   * moves the position past it. A seekable file gives back what it read beyond the line.
   */
  private takeLine(chunk: Uint8Array, parts: Uint8Array[]): Uint8Array {
    const newline = chunk.indexOf(NEWLINE);
    const line = newline === -1 ? chunk : chunk.subarray(0, newline + 1);
    parts.push(line);
    this.position += line.byteLength;
    return line;
  }
}

function trimmed(bytes: Uint8Array, length: number): Uint8Array {
  if (length === bytes.byteLength) return bytes;
  return length * 2 < bytes.byteLength ? bytes.slice(0, length) : bytes.subarray(0, length);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function toPoolBuffer(bytes: Uint8Array): Buffer {
  const buffer = allocateBuffer(bytes.byteLength);
  buffer.view.set(bytes);
  return buffer;
}

/** A pool buffer holding the first `length` bytes of `buffer`, which is released. */
function shrink(buffer: Buffer, length: number): Buffer {
  const exact = allocateBuffer(length);
  exact.view.set(buffer.view.subarray(0, length));
  buffer.release();
  return exact;
}
