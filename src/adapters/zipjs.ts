/**
 * zip.js readers and writers over nativefile files, so zip.js reads a zip from any
 * random-access file (OPFS, a Blob, a memory map, HTTP, S3) without loading it whole, and
 * writes one into any output stream. The shapes are declared here, not imported, so the
 * library does not depend on zip.js.
 * @module
 */
import type { RandomAccessFile, OutputStream } from '../io/core/interfaces.js';
import { describe } from '../util/validate.js';

/** What {@link zipReaderOf} reads: `size` and `readAt`, as every random-access file has. */
export type ZipReadable = Pick<RandomAccessFile, 'size' | 'readAt'>;

/** What {@link zipWriterOf} writes to: `write` and `flush`, as every output stream has. */
export type ZipWritable = Pick<OutputStream, 'write' | 'flush'>;

/** The parts of zip.js's `Reader` that `ZipReader` uses, for a random-access source. */
export interface ZipJsReader {
  /** The file's size in bytes; set by `init()`, which zip.js calls first. */
  size: number;
  /** Reads the file's size; zip.js calls it once, before any read. */
  init(): Promise<void>;
  /** The bytes from `index`, `length` of them or fewer at the end of the file. */
  readUint8Array(index: number, length: number): Promise<Uint8Array>;
  /** Bytes `offset` to `offset + size` as a stream: how zip.js reads an entry's data. */
  createReadable(options?: { offset?: number; size?: number; chunkSize?: number }): ReadableStream<Uint8Array>;
  /** The whole file as a stream (zip.js's `ReadableReader`, which makes this type acceptable to `ZipReader`). */
  readonly readable: ReadableStream<Uint8Array>;
}

/** The parts of zip.js's `Writer` that `ZipWriter` uses, for an output stream. */
export interface ZipJsWriter<F> {
  /** Bytes written so far; zip.js keeps it itself (it must be assignable). */
  size: number;
  /** Whether `init` ran; zip.js checks it so as to call `init` once. */
  initialized: boolean;
  /** Called by zip.js before the first write. */
  init(): Promise<void>;
  /** Appends `array` to the file. */
  writeUint8Array(array: Uint8Array): Promise<void>;
  /** Where zip.js writes the archive; closing it flushes the file but leaves it open. */
  readonly writable: WritableStream<Uint8Array>;
  /** The file, flushed: what `ZipWriter.close()` returns. */
  getData(): Promise<F>;
}

/** Default bytes per chunk when zip.js streams an entry's data out of the file. */
const CHUNK = 1024 * 1024;

/**
 * A zip.js reader over `file`. zip.js reads the central directory at the end first and then
 * each entry's bytes where they lie, so only what is extracted is read: a remote or OPFS file
 * is not copied whole, as it would be through a `ReadableStream`. The file stays open and is
 * the caller's to close.
 *
 * @example
 * ```ts
 * import { ZipReader, TextWriter } from '@zip.js/zip.js';
 * const zip = new ZipReader(zipReaderOf(await HttpFile.open(url)));
 * for (const entry of await zip.getEntries()) if (!entry.directory) console.log(await entry.getData(new TextWriter()));
 * await zip.close();
 * ```
 */
export function zipReaderOf(file: ZipReadable): ZipJsReader {
  if (typeof file?.readAt !== 'function' || typeof file.size !== 'function') {
    throw new TypeError(`file must be a random-access file, got ${describe(file)}`);
  }
  const reader: ZipJsReader = {
    size: 0,
    async init() {
      reader.size = await file.size();
    },
    readUint8Array: (index, length) => file.readAt(index, length),
    createReadable({ offset = 0, size, chunkSize = CHUNK } = {}) {
      let position = offset;
      const end = size === undefined ? undefined : offset + size;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const stop = end ?? (await file.size());
          const chunk = position < stop ? await file.readAt(position, Math.min(chunkSize, stop - position)) : new Uint8Array(0);
          position += chunk.byteLength;
          if (chunk.byteLength > 0) controller.enqueue(chunk);
          // A short read at the end of the file ends the stream too, rather than looping on it.
          if (chunk.byteLength === 0 || position >= stop) controller.close();
        },
      });
    },
    get readable() {
      return reader.createReadable();
    },
  };
  return reader;
}

/**
 * A zip.js writer appending to `out`. `ZipWriter.close()` flushes `out` and returns it, still
 * open, so a `BufferOutputStream`'s `getValue()` or an `OSFile`'s `close()` comes after.
 *
 * @example
 * ```ts
 * import { ZipWriter, TextReader } from '@zip.js/zip.js';
 * const out = new BufferOutputStream();
 * const zip = new ZipWriter(zipWriterOf(out));
 * await zip.add('hello.txt', new TextReader('Hello'));
 * await zip.close();
 * const archive = out.getValue();
 * ```
 */
export function zipWriterOf<F extends ZipWritable>(out: F): ZipJsWriter<F> {
  if (typeof out?.write !== 'function' || typeof out.flush !== 'function') {
    throw new TypeError(`out must be an output stream, got ${describe(out)}`);
  }
  const writer: ZipJsWriter<F> = {
    size: 0,
    initialized: false,
    init() {
      writer.initialized = true;
      return Promise.resolve();
    },
    async writeUint8Array(array) {
      await out.write(array);
    },
    writable: new WritableStream<Uint8Array>({
      write: (chunk) => writer.writeUint8Array(chunk),
      close: () => out.flush(),
    }),
    async getData() {
      await out.flush();
      return out;
    },
  };
  return writer;
}
