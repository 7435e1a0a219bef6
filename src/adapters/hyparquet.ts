/**
 * hyparquet's `AsyncBuffer` over any nativefile random-access file, so hyparquet reads
 * Parquet from `HttpFile`, S3, HDFS, OPFS or memory.
 * @module
 */
import { IOError } from '../errors.js';
import type { ByteRange } from '../io/core/underlying.js';
import { describe } from '../util/validate.js';

/** The file the adapter reads: anything with `size` and `readRanges` (every random-access file). */
export interface RangeReadable {
  /** The file's size in bytes, read once when the adapter is made. */
  size(): Promise<number> | number;
  /** The bytes of each range, in order; one call for all the slices asked for together. */
  readRanges(ranges: readonly ByteRange[]): Promise<Uint8Array[]> | Uint8Array[];
}

/** hyparquet's `AsyncBuffer`, declared here so the library does not depend on hyparquet. */
export interface AsyncBufferLike {
  /** The file's size in bytes. */
  readonly byteLength: number;
  /** Bytes `start` to `end` (negative counts from the end, as `ArrayBuffer.slice`), as an ArrayBuffer of their own. */
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

/**
 * An `AsyncBuffer` reading `file`. The slices hyparquet asks for in one go (it plans the
 * column chunks of a read and asks for them together) are gathered until the current
 * microtask ends and sent as one `readRanges`, so a remote file coalesces them.
 */
export async function asyncBufferOf(file: RangeReadable): Promise<AsyncBufferLike> {
  if (typeof file?.readRanges !== 'function') throw new TypeError(`file must be a random-access file, got ${describe(file)}`);
  const byteLength = await file.size();
  let batch: Array<{ range: ByteRange; resolve: (bytes: ArrayBuffer) => void; reject: (error: unknown) => void }> = [];
  const flush = () => {
    const pending = batch;
    batch = [];
    // A promise's executor catches a synchronous throw: the slices reject rather than wait for ever.
    new Promise<Uint8Array[]>((resolve) => resolve(file.readRanges(pending.map((p) => p.range)))).then(
      (parts) => {
        for (const [i, { range, resolve, reject }] of pending.entries()) {
          const part = parts[i];
          if (part?.byteLength === range.length) {
            resolve(toArrayBuffer(part));
            continue;
          }
          // Bytes of the wrong length would be parsed as Parquet all the same: refused.
          const got = part === undefined ? `${parts.length} parts for ${pending.length} ranges` : `${part.byteLength} bytes`;
          reject(new IOError(`readRanges answered ${got}, not ${range.length} bytes at ${range.offset}`, { code: 'EPROTO' }));
        }
      },
      (error: unknown) => pending.forEach((p) => p.reject(error)),
    );
  };
  return {
    byteLength,
    slice(start, end = byteLength) {
      const offset = Math.max(0, start < 0 ? byteLength + start : start);
      const stop = Math.min(byteLength, end < 0 ? byteLength + end : end);
      return new Promise<ArrayBuffer>((resolve, reject) => {
        if (batch.length === 0) queueMicrotask(flush);
        batch.push({ range: { offset, length: Math.max(0, stop - offset) }, resolve, reject });
      });
    },
  };
}

/** The bytes as an ArrayBuffer of their own (hyparquet wants `ArrayBuffer`, not a view). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer)
    return bytes.buffer;
  return bytes.slice().buffer;
}
