/**
 * What a file can do, in its type (as Arrow C++'s `arrow/io/interfaces.h` has it), so that
 * misuse is a compile error: `write` on an input stream, `readSync` on an asynchronous file,
 * `readline` on an output stream. Run-time checks stay for JavaScript callers.
 *
 * Each capability comes in an asynchronous form and a synchronous one (`Sync…`, with the
 * `*Sync` methods) for files whose backend answers synchronously. `isSync` is `true` or
 * `false` in each, so testing it narrows a union such as {@link RandomAccessFile}.
 * @module
 */
// Files and buffers implement `Symbol.dispose`/`Symbol.asyncDispose`: the declarations bring
// TypeScript's library of those names with them (`preserve`), for programs that have neither
// it nor @types/node (a browser app with lib ES2022 and DOM, a worker).
/// <reference lib="esnext.disposable" preserve="true" />
import type { Buffer, BytesLike } from '../../memory/buffer.js';
import type { FileMode } from '../../util/file-mode.js';
import type { ByteRange } from './underlying.js';
import type { DownloadSink, TransferOptions, UploadSource } from './transfer.js';

/** Options of `lines()` and `linesSync()`. */
export interface LinesOptions {
  /** The longest line accepted, in bytes; a longer one throws an `IOError` (code `'ELINE'`). */
  maxLineLength?: number;
}

/** What every file and stream has. */
export interface FileInterface extends AsyncDisposable {
  /** How the file is open. */
  readonly mode: FileMode;
  /** Whether {@link FileInterface.close} was called (readable after close, so a property). */
  readonly closed: boolean;
  /** Whether the `*Sync` methods work. */
  readonly isSync: boolean;
  /** Whether reads are allowed; throws once closed, like every other method. */
  readable(): boolean;
  /** Whether writes are allowed. */
  writable(): boolean;
  /** Whether `seek` and positional reads are allowed. */
  seekable(): boolean;
  /** The current position: bytes read or written so far on a stream. */
  tell(): number;
  /**
   * Closes the file once every pending operation has settled (a Blob's positional reads are
   * not waited for: closing takes nothing they use). Closing again does nothing.
   */
  close(): Promise<void>;
}

/** A readable sequence of bytes (Arrow's `InputStream`). */
export interface InputStream extends FileInterface, AsyncIterable<Uint8Array> {
  /** Reads `n` bytes (all that remain if omitted); fewer at the end, none past it. */
  read(n?: number): Promise<Uint8Array>;
  /** Reads `n` bytes (all if omitted) as a {@link Buffer}, zero-copy where the backend allows. */
  readBuffer(n?: number): Promise<Buffer>;
  /** Fills `view` (less at the end); returns the bytes read. */
  readInto(view: ArrayBufferView): Promise<number>;
  /** Reads at most `n` bytes (64 KiB if omitted) with at most one read of the backend. */
  read1(n?: number): Promise<Uint8Array>;
  /** One line, up to and including `\n`, of at most `limit` bytes; empty at the end. */
  readline(limit?: number): Promise<Uint8Array>;
  /** The lines from the current position, each ending in `\n` but maybe the last. */
  lines(options?: LinesOptions): AsyncIterableIterator<Uint8Array>;
  /** Copies the rest of the file (all of it, from the start, if seekable) into `sink`. */
  download(sink: DownloadSink, options?: TransferOptions): Promise<number>;
}

/** A readable file with random access (Arrow's `RandomAccessFile`). */
export interface RandomAccessFile extends InputStream {
  /** Moves the position (`whence` 0 start, 1 current, 2 end) and returns it; no I/O. */
  seek(offset: number, whence?: 0 | 1 | 2): number;
  /** The size in bytes. */
  size(): Promise<number>;
  /** Up to `n` bytes at `offset`, without moving the position; positional reads may overlap. */
  readAt(offset: number, n: number): Promise<Uint8Array>;
  /** Several ranges in one call, in order; remote files coalesce them into few requests. */
  readRanges(ranges: readonly ByteRange[]): Promise<Uint8Array[]>;
  /** A hint that `ranges` will be read soon, so a remote file can fetch them ahead. */
  willNeed(ranges: readonly ByteRange[]): void;
}

/** A writable sequence of bytes (Arrow's `OutputStream`). */
export interface OutputStream extends FileInterface {
  /** Writes all of `data` (bytes, never strings); returns the number of bytes written. */
  write(data: BytesLike): Promise<number>;
  /** Pushes buffered writes to the backend. */
  flush(): Promise<void>;
  /** The bytes written so far (for files: the file's size). */
  size(): Promise<number>;
  /** Writes everything `source` yields; returns the number of bytes copied. */
  upload(source: UploadSource, options?: TransferOptions): Promise<number>;
  /** Discards what was written where the store allows, and closes (Arrow's `Abort`). */
  abort(reason?: unknown): Promise<void>;
}

/** A writable file with random access (Arrow's `WritableFile`). */
export interface WritableFile extends OutputStream {
  /** Moves the position and returns it; no I/O. */
  seek(offset: number, whence?: 0 | 1 | 2): number;
  /** Writes `data` at `offset` without moving the position. */
  writeAt(offset: number, data: BytesLike): Promise<number>;
}

/** A file that can be read and written anywhere (Arrow's `ReadWriteFileInterface`). */
export interface ReadWriteFile extends RandomAccessFile, WritableFile {
  /** Bytes in the file. */
  size(): Promise<number>;
  /** Moves the position and returns it; no I/O. */
  seek(offset: number, whence?: 0 | 1 | 2): number;
}

/** The synchronous forms every synchronous file has. */
export interface SyncFileInterface extends FileInterface, Disposable {
  readonly isSync: true;
  /** Synchronous {@link FileInterface.close}. */
  closeSync(): void;
}

/** An {@link InputStream} whose backend is synchronous. */
export interface SyncInputStream extends InputStream, SyncFileInterface {
  readonly isSync: true;
  /** Synchronous {@link InputStream.read}. */
  readSync(n?: number): Uint8Array;
  /** Synchronous {@link InputStream.readBuffer}. */
  readBufferSync(n?: number): Buffer;
  /** Synchronous {@link InputStream.readInto}. */
  readIntoSync(view: ArrayBufferView): number;
  /** Synchronous {@link InputStream.read1}. */
  read1Sync(n?: number): Uint8Array;
  /** Synchronous {@link InputStream.readline}. */
  readlineSync(limit?: number): Uint8Array;
  /** Synchronous {@link InputStream.lines}. */
  linesSync(options?: LinesOptions): IterableIterator<Uint8Array>;
}

/** A {@link RandomAccessFile} whose backend is synchronous. */
export interface SyncRandomAccessFile extends RandomAccessFile, SyncInputStream {
  readonly isSync: true;
  /** Synchronous {@link RandomAccessFile.size}. */
  sizeSync(): number;
  /** Synchronous {@link RandomAccessFile.readAt}. */
  readAtSync(offset: number, n: number): Uint8Array;
  /** Synchronous {@link RandomAccessFile.readRanges}. */
  readRangesSync(ranges: readonly ByteRange[]): Uint8Array[];
}

/** An {@link OutputStream} whose backend is synchronous. */
export interface SyncOutputStream extends OutputStream, SyncFileInterface {
  readonly isSync: true;
  /** Synchronous {@link OutputStream.write}. */
  writeSync(data: BytesLike): number;
  /** Synchronous {@link OutputStream.flush}. */
  flushSync(): void;
  /** Synchronous {@link OutputStream.size}. */
  sizeSync(): number;
}

/** A {@link WritableFile} whose backend is synchronous. */
export interface SyncWritableFile extends WritableFile, SyncOutputStream {
  readonly isSync: true;
  /** Synchronous {@link WritableFile.writeAt}. */
  writeAtSync(offset: number, data: BytesLike): number;
}

/** A {@link ReadWriteFile} whose backend is synchronous. */
export interface SyncReadWriteFile extends ReadWriteFile, SyncRandomAccessFile, SyncWritableFile {
  readonly isSync: true;
  /** Synchronous size. */
  sizeSync(): number;
}

/** An asynchronous-only form of `T`: `isSync` is `false`, so testing it narrows unions. */
export type Async<T extends FileInterface> = T & { readonly isSync: false };

/** Any input stream, synchronous or not; `if (s.isSync)` narrows it. */
export type AnyInputStream = Async<InputStream> | SyncInputStream;
/** Any random-access file, synchronous or not; `if (f.isSync)` narrows it. */
export type AnyRandomAccessFile = Async<RandomAccessFile> | SyncRandomAccessFile;
/** Any output stream, synchronous or not; `if (s.isSync)` narrows it. */
export type AnyOutputStream = Async<OutputStream> | SyncOutputStream;
/** Any read-write file, synchronous or not; `if (f.isSync)` narrows it. */
export type AnyReadWriteFile = Async<ReadWriteFile> | SyncReadWriteFile;
