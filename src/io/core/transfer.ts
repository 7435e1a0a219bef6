import { bytesOf, type BytesLike } from '../../memory/buffer.js';
import { isReadableStream, isWritableStream } from '../../platform/stream-guards.js';
import { checkSize, describe } from '../../util/validate.js';
import type { Cursor } from './cursor.js';
import { nextMacrotask, settle, type Steps } from './steps.js';
import type { UnderlyingFile } from './underlying.js';

/** Options of `upload` and `download`. */
export interface TransferOptions {
  /** Bytes per read; default 1 MiB. */
  chunkSize?: number;
  /** Called after each chunk with the bytes copied so far and, when known, the total. */
  onProgress?: (bytesCopied: number, totalBytes: number | undefined) => void;
  /** Stops the copy; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a copy needs of a readable file (structural: any file or look-alike will do). */
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
export type UploadSource =
  | TransferReader
  | Blob
  | ReadableStream<BytesLike>
  | AsyncIterable<BytesLike>
  | Iterable<BytesLike>;

/** What `download` copies to. A `WritableStream` is closed when the copy completes. */
export type DownloadSink = TransferWriter | WritableStream<Uint8Array>;

const DEFAULT_CHUNK = 1024 * 1024;
/** A copy lets the event loop run after this many bytes, so timers (and an abort) get their turn. */
const YIELD_EVERY = 4 * 1024 * 1024;

/** Counts bytes and yields to the event loop every {@link YIELD_EVERY} of them. */
function yielder(signal: AbortSignal | undefined): (bytes: number) => Promise<void> | undefined {
  let since = 0;
  return (bytes) => {
    since += bytes + 4096; // many tiny chunks count too
    if (since < YIELD_EVERY) return undefined;
    since = 0;
    return nextMacrotask().then(() => signal?.throwIfAborted());
  };
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

function isReadableFile(value: unknown): value is TransferReader {
  const file = value as Partial<TransferReader>;
  return typeof file.readInto === 'function' && typeof file.mode === 'string';
}

function isWritableFile(value: unknown): value is TransferWriter {
  const file = value as Partial<TransferWriter>;
  return typeof file.write === 'function' && typeof file.mode === 'string';
}

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;

/** Whether a backend may be handed `source` whole ({@link UnderlyingFile.uploadFrom}). */
export const isWholeSource = (source: UploadSource): source is Blob | ReadableStream<BytesLike> =>
  isBlob(source) || isReadableStream(source);

/**
 * `upload` by the backend's own route: `undefined` when it declines (then nothing was read
 * and the core copies chunk by chunk). The cursor follows the bytes written, also on failure.
 */
export function* handOver(
  cursor: Cursor, side: UnderlyingFile, source: Blob | ReadableStream<BytesLike>, options: CheckedOptions,
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

/** Copies everything `source` yields through `write`; returns the byte count. */
export async function copyFromSource(
  source: UploadSource,
  write: (chunk: Uint8Array) => Promise<unknown>,
  options: TransferOptions,
): Promise<number> {
  const { chunkSize, onProgress, signal } = checkOptions(options);
  signal?.throwIfAborted();
  let copied = 0;
  const total = isBlob(source) ? source.size : isReadableFile(source) && source.seekable() ? await source.size() : undefined;
  if (isBlob(source)) source = source.stream();
  const pause = yielder(signal);
  const accept = async (chunk: Uint8Array) => {
    await write(chunk);
    copied += chunk.byteLength;
    onProgress?.(copied, total);
    signal?.throwIfAborted();
    await pause(chunk.byteLength);
  };
  if (isReadableStream(source)) {
    const reader = source.getReader();
    // A pending read settles (as done) when the source is cancelled; the abort is then thrown below.
    const cancel = () => void reader.cancel(signal?.reason).catch(() => {});
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      for (let result = await reader.read(); !result.done; result = await reader.read()) {
        signal?.throwIfAborted();
        await accept(bytesOf(result.value, 'chunk'));
      }
      signal?.throwIfAborted();
    } catch (error) {
      await reader.cancel(error).catch(() => {});
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      reader.releaseLock();
    }
  } else if (isReadableFile(source)) {
    const chunk = new Uint8Array(chunkSize);
    for (let got = await source.readInto(chunk); got > 0; got = await source.readInto(chunk)) {
      await accept(chunk.subarray(0, got));
    }
  } else if (typeof source === 'object' && source !== null &&
    (Symbol.asyncIterator in source || Symbol.iterator in source)) {
    for await (const item of source as AsyncIterable<BytesLike>) await accept(bytesOf(item, 'chunk'));
  } else {
    throw new TypeError(
      `source must be a NativeFile, a Blob, a ReadableStream or an iterable of bytes, got ${describe(source)}`,
    );
  }
  return copied;
}

/** Copies everything `readInto` gives into `sink`; returns the byte count. */
export async function copyToSink(
  readInto: (view: Uint8Array) => Promise<number>,
  total: number | undefined,
  sink: DownloadSink,
  options: TransferOptions,
): Promise<number> {
  const { chunkSize, onProgress, signal } = checkOptions(options);
  signal?.throwIfAborted();
  let copied = 0;
  const pause = yielder(signal);
  if (isWritableStream(sink)) {
    const writer = sink.getWriter();
    try {
      for (;;) {
        // A stream keeps the chunks it is given, so each read gets fresh memory.
        const chunk = new Uint8Array(total === undefined ? chunkSize : Math.min(chunkSize, total - copied || 1));
        const got = await readInto(chunk);
        if (got === 0) break;
        await writer.ready;
        await writer.write(chunk.subarray(0, got));
        copied += got;
        onProgress?.(copied, total);
        signal?.throwIfAborted();
        await pause(got);
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
      throw error;
    } finally {
      writer.releaseLock();
    }
  } else if (isWritableFile(sink)) {
    const chunk = new Uint8Array(chunkSize);
    for (let got = await readInto(chunk); got > 0; got = await readInto(chunk)) {
      await sink.write(chunk.subarray(0, got));
      copied += got;
      onProgress?.(copied, total);
      signal?.throwIfAborted();
      await pause(got);
    }
  } else {
    throw new TypeError(`sink must be a NativeFile or a WritableStream, got ${describe(sink)}`);
  }
  return copied;
}
