import type { BytesLike } from '../../memory/buffer.js';
import { isReadableStream } from '../../platform/stream-guards.js';
import { checkSize, describe } from '../../util/validate.js';
import type { Cursor } from './cursor.js';
import { settle, type Steps } from './steps.js';
import type { UnderlyingFile } from './underlying.js';

/** Options of `upload` and `download`. */
export interface TransferOptions {
  /**
   * Bytes per read of a file source and per chunk of a download; default 1 MiB. Streams and
   * iterables come in their own chunks, except where `upload` reads a byte stream of the
   * platform's own into buffers it hands over whole (to the IO worker of an `OpfsFile` on a
   * page): there, at most this per read, default 4 MiB.
   */
  chunkSize?: number;
  /**
   * Called after each chunk with the bytes copied so far and, when known, the total. Copied
   * means handed to the destination, which may still fail to store the last of them (an
   * upload to the IO worker keeps one chunk in flight; an S3 stream buffers a part): the
   * promise then rejects, and the file's position says how far it got.
   */
  onProgress?: (bytesCopied: number, totalBytes: number | undefined) => void;
  /**
   * Stops the copy; the promise then rejects with the signal's reason. A write still in flight
   * is awaited first, and the file's position then says where the bytes written end; if that
   * write failed, the promise may reject with its error instead of the reason.
   */
  signal?: AbortSignal;
}

/** What a copy needs of a readable file (structural: every file or look-alike will do). */
export interface TransferReader {
  /** How the file is open. */
  readonly mode: string;
  /** Fills `view` from the file's position; 0 at the end. */
  readInto(view: Uint8Array): Promise<number>;
  /** The size, asked only where `seekable()` (for the progress total). */
  size(): Promise<number>;
  /** Whether the size is known. */
  seekable(): boolean;
}

/** What a copy needs of a writable file. */
export interface TransferWriter {
  /** How the file is open. */
  readonly mode: string;
  /** Writes all of `data`; resolves to the count once the file has taken it. */
  write(data: Uint8Array): Promise<number>;
  /** Whether writes are allowed. */
  writable(): boolean;
}

/** What `upload` copies from. */
export type UploadSource = TransferReader | Blob | ReadableStream<BytesLike> | AsyncIterable<BytesLike> | Iterable<BytesLike>;

/** What `download` copies to. A `WritableStream` is closed when the copy completes. */
export type DownloadSink = TransferWriter | WritableStream<Uint8Array>;

const DEFAULT_CHUNK = 1024 * 1024;
/**
 * The code of `upload` and `download` (`copy.ts`). The core loads it on first use; a file
 * class may carry it instead (`FileTraits.copies`) where loading code later can fail.
 * @internal
 */
export interface Copies {
  upload(cursor: Cursor, side: UnderlyingFile, source: UploadSource, options: TransferOptions): Promise<number>;
  download(
    cursor: Cursor,
    side: UnderlyingFile,
    size: (() => Promise<number>) | undefined,
    sink: DownloadSink,
    options: TransferOptions,
  ): Promise<number>;
}

/** Checked {@link TransferOptions}. */
export interface CheckedOptions {
  chunkSize: number;
  onProgress: TransferOptions['onProgress'];
  signal: AbortSignal | undefined;
}

/** Checks the options of `upload` and `download`. */
export function checkOptions(options: TransferOptions): CheckedOptions {
  const chunkSize = checkSize(options.chunkSize ?? DEFAULT_CHUNK, 'options.chunkSize');
  if (chunkSize === 0) throw new RangeError('options.chunkSize must be at least 1, got 0');
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(`options.onProgress must be a function, got ${describe(onProgress)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return { chunkSize, onProgress, signal };
}

export const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;

/** Whether a backend may be handed `source` whole ({@link UnderlyingFile.uploadFrom}). */
export const isWholeSource = (source: UploadSource): source is Blob | ReadableStream<BytesLike> =>
  isBlob(source) || isReadableStream(source);

/**
 * `upload` by the backend's own route: `undefined` when it declines (then nothing was read
 * and the core copies chunk by chunk). The cursor follows the bytes written, also on failure.
 */
export function* handOver(
  cursor: Cursor,
  side: UnderlyingFile,
  source: Blob | ReadableStream<BytesLike>,
  options: CheckedOptions,
): Steps<number | undefined> {
  const { onProgress, signal } = options;
  signal?.throwIfAborted();
  const start = cursor.position;
  const total = isBlob(source) ? source.size : undefined;
  let progressError: { error: unknown } | undefined;
  const written = (count: number) => {
    cursor.position = start + count;
    try {
      if (progressError === undefined) onProgress?.(count, total);
    } catch (error) {
      progressError = { error }; // thrown once the backend settles: the bytes are in the file by then
    }
  };
  cursor.forget();
  const pending = side.uploadFrom!(source, start, written, signal);
  if (pending === undefined) return undefined;
  const count = yield* settle(pending);
  cursor.position = start + count;
  if (progressError !== undefined) throw progressError.error;
  return count;
}
