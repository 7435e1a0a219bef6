/**
 * `upload` and `download`, loaded when a file first copies (a dynamic import), so apps that
 * never copy do not ship them: the backend's own route, else chunk-by-chunk copies. File
 * classes used where `import()` is refused (OPFS files in service workers) carry them.
 * @module
 */
import { bytesOf, type BytesLike } from '../../memory/buffer.js';
import { isOwnByteStream, isReadableStream, isWritableStream } from '../../platform/stream-guards.js';
import { describe } from '../../util/validate.js';
import * as algorithms from './algorithms.js';
import * as writes from './writes.js';
import type { Cursor } from './cursor.js';
import { nextMacrotask, runAsync } from './steps.js';
import type { UnderlyingFile } from './underlying.js';
import {
  checkOptions,
  handOver,
  isBlob,
  isWholeSource,
  type Copies,
  type DownloadSink,
  type TransferOptions,
  type TransferReader,
  type TransferWriter,
  type UploadSource,
} from './transfer.js';

/** A copy lets the event loop run after this many bytes, so timers (and an abort) get their turn. */
const YIELD_EVERY = 4 * 1024 * 1024;

/**
 * What a byte stream read into buffers of the upload's own reads at once, unless the options
 * say. Firefox's upload of a Blob's stream (one chunk) replacing a 128 MiB OPFS file from a
 * page, against a raw sync handle in a worker rewriting it (bench/browser.mjs): read whole
 * 0.39-0.42x, in 1 MiB pieces 0.81x, in 4 MiB pieces 0.94x and 1.04x; raw page-driven code alike.
 */
const BYTE_STREAM_PIECE = 4 * 1024 * 1024;

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

function isReadableFile(value: unknown): value is TransferReader {
  const file = value as Partial<TransferReader>;
  return typeof file.readInto === 'function' && typeof file.mode === 'string';
}

function isWritableFile(value: unknown): value is TransferWriter {
  const file = value as Partial<TransferWriter>;
  return typeof file.write === 'function' && typeof file.mode === 'string';
}

/** The smallest buffer a BYOB read gets (see {@link readerOf}). */
const LEAST_PIECE = 64 * 1024;

/**
 * A reader of `stream` and its read: where `chunkSize` is given, by a BYOB reader into a new
 * buffer each time, of up to `chunkSize` bytes. Read so, a stream that holds its bytes as one
 * chunk (Firefox gives a Blob's 128 MiB at once) comes in pieces, written while the next is
 * read, and is never held whole; Chromium's chunks (64 KiB to 2 MiB) are copied once more. A
 * buffer is twice what the read before it filled (at least 64 KiB): a new 4 MiB buffer for
 * each 64 KiB of a network stream would cost 10 times the read.
 */
function readerOf(
  stream: ReadableStream<BytesLike>,
  chunkSize: number | undefined,
): { reader: ReadableStreamGenericReader & { releaseLock(): void }; read: () => Promise<ReadableStreamReadResult<BytesLike>> } {
  if (chunkSize === undefined) {
    const reader = stream.getReader();
    return { reader, read: () => reader.read() };
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader({ mode: 'byob' });
  let size = chunkSize;
  const filled = (result: ReadableStreamReadResult<Uint8Array>) => {
    if (!result.done) size = Math.min(chunkSize, Math.max(LEAST_PIECE, 2 * result.value.byteLength));
    return result;
  };
  // A source that closes its stream while a BYOB read waits leaves that read pending until it
  // answers the read's request (a source written for default readers never does). A read the
  // stream answered as it closed settles within microtasks (in Node after `closed` does): a
  // macrotask after the close, the read still waiting gets nothing more, and is done.
  let wake: (() => void) | undefined;
  reader.closed.then(
    () => void setTimeout(() => wake?.()),
    () => {}, // an error rejects the read itself
  );
  const done = () =>
    new Promise<ReadableStreamReadDoneResult<Uint8Array>>((resolve) => (wake = () => resolve({ done: true, value: undefined })));
  return { reader, read: () => Promise.race([reader.read(new Uint8Array(size)).then(filled), done()]) };
}

/**
 * Copies everything `source` yields through `write`; returns the byte count. With
 * `intoFreshBuffers`, a stream (a byte stream: the caller checked) is read by a BYOB reader
 * into a new buffer each time ({@link BYTE_STREAM_PIECE} bytes unless `chunkSize` is given),
 * which `write` may keep whole.
 */
export async function copyFromSource(
  source: UploadSource,
  write: (chunk: Uint8Array) => Promise<unknown>,
  options: TransferOptions,
  intoFreshBuffers = false,
): Promise<number> {
  const { chunkSize, onProgress, signal } = checkOptions(options);
  signal?.throwIfAborted();
  let copied = 0;
  const total = isBlob(source) ? source.size : isReadableFile(source) && source.seekable() ? await source.size() : undefined;
  if (isBlob(source)) source = source.stream();
  const pause = yielder(signal);
  const accept = async (chunk: Uint8Array) => {
    const length = chunk.byteLength; // `write` may take the chunk's memory (it is then empty)
    await write(chunk);
    copied += length;
    onProgress?.(copied, total);
    signal?.throwIfAborted();
    await pause(length);
  };
  if (isReadableStream(source)) {
    const pieces = options.chunkSize === undefined ? BYTE_STREAM_PIECE : chunkSize;
    const { reader, read } = readerOf(source, intoFreshBuffers ? pieces : undefined);
    // A pending read settles (as done) when the source is cancelled; the abort is then thrown below.
    const cancel = () => void reader.cancel(signal?.reason).catch(() => {});
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      // The next chunk is read while this one is written: a write to a worker is a round trip
      // per chunk, which reading after it would add to the stream's own wait.
      let next = read();
      for (let result = await next; !result.done; result = await next) {
        signal?.throwIfAborted();
        next = read();
        // Awaited next round, or settled by the cancel below if this write fails.
        next.catch(() => {});
        await accept(bytesOf(result.value, 'chunk'));
      }
      signal?.throwIfAborted();
    } catch (error) {
      await reader.cancel(error).catch(() => {});
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      try {
        reader.releaseLock();
      } catch {
        // A BYOB read still waits: engines before whatwg/streams#1168 (WebKitGTK 2.50) throw.
      }
    }
  } else if (isReadableFile(source)) {
    const chunk = new Uint8Array(chunkSize);
    for (let got = await source.readInto(chunk); got > 0; got = await source.readInto(chunk)) {
      await accept(chunk.subarray(0, got));
    }
  } else if (typeof source === 'object' && source !== null && (Symbol.asyncIterator in source || Symbol.iterator in source)) {
    for await (const item of source as AsyncIterable<BytesLike>) await accept(bytesOf(item, 'chunk'));
  } else {
    throw new TypeError(`source must be a NativeFile, a Blob, a ReadableStream or an iterable of bytes, got ${describe(source)}`);
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

/**
 * `upload` of a file whose cursor and async backend are these: by the backend's own route
 * where it takes the source whole, else chunk by chunk through `write`.
 */
export async function upload(
  cursor: Cursor,
  side: UnderlyingFile,
  source: UploadSource,
  options: TransferOptions,
): Promise<number> {
  const checked = checkOptions(options);
  if (side.uploadFrom !== undefined && isWholeSource(source)) {
    const handed = await runAsync(handOver(cursor, side, source, checked));
    if (handed !== undefined) return handed;
  }
  // A byte stream of the platform's own is read into fresh buffers, which are the upload's
  // alone: a backend that can take memory gets each one whole instead of a copy.
  const owned = side.takeAt !== undefined && isOwnByteStream(source);
  /** Where the chunk taken last starts, until its write is known done: set while one may be in flight. */
  let unconfirmed: number | undefined;
  /** Waits for the write in flight: if it failed, the cursor goes back before it. */
  const settle = async () => {
    if (unconfirmed === undefined) return;
    try {
      await side.settle?.();
    } catch (error) {
      cursor.position = unconfirmed;
      throw error;
    } finally {
      unconfirmed = undefined;
    }
  };
  return copyFromSource(
    source,
    async (chunk) => {
      if (!owned) return runAsync(writes.write(cursor, side, chunk));
      const from = cursor.position;
      // Rejects if the write before failed: the settle below then puts the cursor before it.
      const count = await runAsync(writes.take(cursor, side, chunk));
      unconfirmed = from;
      return count;
    },
    options,
    owned,
  ).then(
    // The upload is done when the last chunk taken is written; when it stopped early, the
    // failure that stopped it is the one to tell.
    async (copied) => (await settle(), copied),
    async (error: unknown) => {
      await settle().catch(() => {});
      throw error;
    },
  );
}

/**
 * `download` of a file whose cursor and async backend are these, from the start when `size`
 * is given (a seekable file: it also gives the progress total).
 */
export async function download(
  cursor: Cursor,
  side: UnderlyingFile,
  size: (() => Promise<number>) | undefined,
  sink: DownloadSink,
  options: TransferOptions,
): Promise<number> {
  checkOptions(options);
  const total = size === undefined ? undefined : await size();
  if (size !== undefined) cursor.position = 0;
  return copyToSink((into) => Promise.resolve(runAsync(algorithms.fill(cursor, side, into))), total, sink, options);
}

/** Both, as a file class that carries them passes them (`FileTraits.copies`). */
export const copies: Copies = { upload, download };
