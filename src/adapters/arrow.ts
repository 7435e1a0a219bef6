/**
 * Arrow IPC through nativefile files with apache-arrow (Arrow JS): record batches read from
 * any random-access file, reading only the footer and the batches asked for, and IPC bytes
 * written into any output stream. apache-arrow is not imported: the caller passes its
 * `RecordBatchReader` class, so the library does not depend on it.
 * @module
 */
import type { OutputStream, RandomAccessFile } from '../io/core/interfaces.js';
import { nextMacrotask } from '../io/core/steps.js';
import { describe } from '../util/validate.js';

/** What {@link recordBatchReaderOf} reads: `size` and `readAt`, as every random-access file has. */
export type IpcReadable = Pick<RandomAccessFile, 'size' | 'readAt'>;

/** What {@link writeIpc} writes to: `write` and `flush`, as every output stream has. */
export type IpcWritable = Pick<OutputStream, 'write' | 'flush'>;

/**
 * The part of a Node `FileHandle` that Arrow JS uses for random access: it recognises a
 * handle by `stat` and a numeric `fd`, then reads with `read(buffer, offset, length, position)`.
 */
export interface ArrowFileHandle {
  /** Always `-1`: there is no descriptor, but Arrow JS tells a file handle by this field being a number. */
  readonly fd: number;
  /** The file's size, as `fs.Stats` gives it. */
  stat(): Promise<{
    /** The size in bytes. */
    size: number;
  }>;
  /** Reads `length` bytes at `position` into `buffer` from `offset`; fewer only at the end of the file. */
  read<T extends Uint8Array>(
    buffer: T,
    offset: number,
    length: number,
    position: number,
  ): Promise<{
    /** How many bytes were read. */
    bytesRead: number;
    /** `buffer` itself, as `FileHandle.read` answers it (Arrow JS takes the bytes from here). */
    buffer: T;
  }>;
  /** Does nothing: Arrow JS closes the handle when a reader ends, but the file is the caller's. */
  close(): Promise<void>;
}

/** apache-arrow's `RecordBatchReader` class, as far as {@link recordBatchReaderOf} uses it. */
export interface RecordBatchReaderClass<R> {
  /** Opens a reader over a file handle: the file format with random access, else the stream format. */
  from(source: ArrowFileHandle): PromiseLike<R>;
}

/**
 * An Arrow JS record batch reader over `file`, in either IPC format. For the file format
 * Arrow JS reads the footer and then each batch where it lies, so `readRecordBatch(i)` on an
 * `HttpFile` or an OPFS file reads that batch only; the stream format is read from the start.
 * The file stays open and is the caller's to close. (A non-seekable input stream needs no
 * adapter: it is an async iterable of chunks, which `RecordBatchReader.from` reads as it is.)
 *
 * @example
 * ```ts
 * import { RecordBatchReader, Table } from 'apache-arrow';
 * await using file = await HttpFile.open('https://example.com/data.arrow');
 * const reader = await recordBatchReaderOf(file, RecordBatchReader);
 * const table = new Table(await reader.readAll());
 * ```
 */
export async function recordBatchReaderOf<R>(file: IpcReadable, readerClass: RecordBatchReaderClass<R>): Promise<R> {
  if (typeof file?.readAt !== 'function' || typeof file.size !== 'function') {
    throw new TypeError(`file must be a random-access file, got ${describe(file)}`);
  }
  if (typeof readerClass?.from !== 'function') {
    throw new TypeError(`readerClass must be apache-arrow's RecordBatchReader, got ${describe(readerClass)}`);
  }
  const handle: ArrowFileHandle = {
    fd: -1,
    stat: async () => ({ size: await file.size() }),
    async read(buffer, offset, length, position) {
      const bytes = await file.readAt(position, length);
      buffer.set(bytes, offset);
      return { bytesRead: bytes.byteLength, buffer };
    },
    close: () => Promise.resolve(),
  };
  return readerClass.from(handle);
}

/**
 * Writes Arrow IPC bytes into `out` as they come: `ipc` is an Arrow JS `RecordBatchWriter`
 * (stream or file format; it is an async iterable of its bytes) or any iterable of chunks.
 * Start it before writing batches to a live writer, so the bytes flow while it is written;
 * it resolves, with the number of bytes written and `out` flushed but open, once the writer
 * is closed. Arrow JS yields many small chunks; a `BufferedOutputStream` around `out`
 * gathers them into fewer writes.
 *
 * @example
 * ```ts
 * import { RecordBatchStreamWriter } from 'apache-arrow';
 * const out = new BufferOutputStream();
 * await writeIpc(out, RecordBatchStreamWriter.writeAll(table));
 * const bytes = out.getValue();
 * ```
 */
export async function writeIpc(out: IpcWritable, ipc: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
  if (typeof out?.write !== 'function' || typeof out.flush !== 'function') {
    throw new TypeError(`out must be an output stream, got ${describe(out)}`);
  }
  let written = 0;
  let sinceYield = 0;
  for await (const chunk of ipc) {
    const count = await out.write(chunk);
    written += count;
    sinceYield += count;
    // A source and a sink that both settle at once would hold the event loop for the whole
    // stream: other tasks get a turn every 8 MiB, as the core's reads give them.
    if (sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      await nextMacrotask();
    }
  }
  await out.flush();
  return written;
}

/** The bytes written between two turns given to other tasks. */
const YIELD_EVERY = 8 * 1024 * 1024;
