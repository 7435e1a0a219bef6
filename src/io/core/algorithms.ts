/**
 * The I/O algorithms of the file core, each written once as {@link Steps} and driven
 * synchronously or asynchronously by `steps.ts`: the reads here, the writes in `writes.ts`.
 * Backend calls copy at most {@link PIECE} bytes each, so a large read never asks a backend
 * for more than it can do at once (`fs.read` stops at 2 GiB) and an async caller yields to the
 * event loop between pieces.
 * @module
 */
import { IOError } from '../../errors.js';
import { Buffer } from '../../memory/buffer.js';
import { countAnswer } from './contract-checks.js';
import type { Cursor } from './cursor.js';
import { concat } from '../../util/concat.js';
import { isThenable } from './awaitable.js';
import { runAsync, runSync, settle, syncValue, YIELD_TO_EVENT_LOOP, type Steps } from './steps.js';
import type { Awaitable, ByteRange, UnderlyingFile } from './underlying.js';

/** The most one backend call reads or writes. */
export const PIECE = 8 * 1024 * 1024;
/** How much a stream read of unknown length asks for first; it doubles up to {@link PIECE}. */
const FIRST_CHUNK = 64 * 1024;
/** Positional reads up to this size do not ask the size first. */
export const SMALL_READ = 1024 * 1024;
/** How far `readline` looks ahead first on a random-access file (lines are usually short). */
const LINE_LOOKAHEAD = 4096;
const NEWLINE = 0x0a;

/** Reads at `position` until `into` is full or the file ends; returns the count. */
export function* fillAt(side: UnderlyingFile, position: number, into: Uint8Array): Steps<number> {
  let filled = 0;
  while (filled < into.byteLength) {
    if (filled > 0) yield YIELD_TO_EVENT_LOOP;
    const piece = into.subarray(filled, filled + PIECE);
    const got = countAnswer(side, 'readAt', yield* settle(side.readAt!(position + filled, piece)), piece.byteLength);
    if (got === 0) break;
    filled += got;
  }
  return filled;
}

/** Reads from the cursor until `into` is full or the file ends, moving the cursor. */
export function* fill(cursor: Cursor, side: UnderlyingFile, into: Uint8Array): Steps<number> {
  let filled = 0;
  while (filled < into.byteLength) {
    const got = yield* pull(cursor, side, into.subarray(filled, filled + PIECE));
    if (got === 0) break;
    filled += got;
    cursor.position += got;
  }
  return filled;
}

/**
 * Bytes read from cursors since the event loop last had a turn, by any read: a backend that
 * answers at once (memory) settles every step of an async read, line after line or chunk
 * after chunk, in microtasks, which would starve timers and I/O until the end.
 */
let sinceYield = 0;

/**
 * Reads some bytes into `into` from the cursor, without moving it (see `Cursor.pull`); first
 * yields to the event loop (async callers) once a {@link PIECE} was read since the last time.
 */
function* pull(cursor: Cursor, side: UnderlyingFile, into: Uint8Array): Steps<number> {
  if (sinceYield >= PIECE) {
    sinceYield = 0;
    yield YIELD_TO_EVENT_LOOP;
  }
  const got = countAnswer(side, cursor.seekable ? 'readAt' : 'read', yield* settle(cursor.pull(side, into)), into.byteLength);
  sinceYield += got;
  return got;
}

/** `length` bytes (all that remain if `undefined`) from the cursor. */
export function* readBytes(cursor: Cursor, side: UnderlyingFile, length: number | undefined): Steps<Uint8Array> {
  // A size of 0 may be a file that does not know its size (`/proc` files): read to the end.
  const size = cursor.seekable ? yield* sizeOf(side) : 0;
  if (size > 0) {
    const count = clampToRemaining(cursor.position, length, size);
    if (side.readFresh !== undefined && !cursor.holdsBytes()) {
      const bytes = yield* settle(side.readFresh(cursor.position, count));
      cursor.position += bytes.byteLength;
      return bytes;
    }
    const out = new Uint8Array(count);
    return trimmed(out, yield* fill(cursor, side, out));
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  let chunkSize = FIRST_CHUNK;
  const limit = length ?? Infinity;
  while (total < limit) {
    const chunk = new Uint8Array(Math.min(chunkSize, limit - total));
    const got = yield* fill(cursor, side, chunk);
    parts.push(trimmed(chunk, got));
    total += got;
    if (got < chunk.byteLength) break;
    chunkSize = Math.min(chunkSize * 2, PIECE);
  }
  return concat(parts, total);
}

/**
 * `length` bytes (all if `undefined`) as a Buffer: a slice where the backend holds memory,
 * else memory from `allocate` (the file's {@link FileTraits.allocate}), else the bytes read
 * (fresh from the backend where it can) wrapped as they are. The core imports no pool: a
 * backend that always slices (`BufferReader`) keeps the pools out of an app's bundle.
 */
export function* readBuffer(
  cursor: Cursor,
  side: UnderlyingFile,
  length: number | undefined,
  allocate: ((size: number) => Buffer) | undefined,
): Steps<Buffer> {
  // A small read into pool memory skips asking the size (an fstat or a round trip): a short
  // read at the end of the file then costs one copy into an exact buffer.
  const skipSize =
    cursor.seekable && side.sliceAt === undefined && allocate !== undefined && length !== undefined && length <= SMALL_READ;
  // A size of 0 may be a file that does not know its size (`/proc` files): read to the end.
  const size = skipSize ? Infinity : cursor.seekable ? yield* sizeOf(side) : 0;
  if (size === 0 || (side.sliceAt === undefined && allocate === undefined)) {
    const bytes = yield* readBytes(cursor, side, length);
    return allocate === undefined ? Buffer.wrap(bytes) : copyInto(allocate, bytes);
  }
  const count = clampToRemaining(cursor.position, length, size);
  if (side.sliceAt !== undefined) {
    const slice = yield* settle(side.sliceAt(cursor.position, count));
    if (slice !== undefined) {
      cursor.position += slice.size;
      return slice;
    }
    // Declined, and no memory to read into (an IO worker without shared memory): the bytes read.
    if (allocate === undefined) return Buffer.wrap(yield* readBytes(cursor, side, count));
  }
  return yield* fillBuffer(cursor, side, allocate!(count), 0, allocate!);
}

/**
 * Fills `buffer` (from `allocate`) from the cursor, its first `filled` bytes read already
 * (none, unless a caller read them itself; `filled` short of the size after a read that
 * returned 0 means the file ended). Returns it full, or a buffer of exactly the bytes read
 * when the file ends first; the memory not returned goes back at once, also on failure.
 */
export function* fillBuffer(
  cursor: Cursor,
  side: UnderlyingFile,
  buffer: Buffer,
  filled: number,
  allocate: (size: number) => Buffer,
  ended = false,
): Steps<Buffer> {
  let got = filled;
  try {
    if (!ended) got += yield* fill(cursor, side, buffer.view.subarray(filled));
  } catch (error) {
    // Give the memory back now, not at the next garbage collection.
    buffer.release();
    throw error;
  }
  if (got === buffer.size) return buffer;
  // The file ended early: a buffer of the bytes read, and the larger one goes back now.
  const exact = copyInto(allocate, buffer.view.subarray(0, got));
  buffer.release();
  return exact;
}

/**
 * {@link readBuffer} into memory from `allocate`, for a backend that cannot slice, in one
 * backend read where one fills it (as in a sequential read loop), without generators: a large
 * copy leaves their code and objects cold in the caches for the next call (1 MiB reads of a
 * page-cached file, paired over rounds against Node: sync 0.945x -> 0.963x of `fs.readSync`,
 * async 0.97-0.98x -> 0.99-1.02x of `FileHandle.read`). `undefined` where this does not apply
 * (no length, a large one, bytes read ahead waiting); a promise on an asynchronous backend.
 */
export function readBufferInOneRead(
  cursor: Cursor,
  side: UnderlyingFile,
  length: number | undefined,
  allocate: (size: number) => Buffer,
  synchronous: boolean,
): Awaitable<Buffer> | undefined {
  if (!cursor.seekable || side.sliceAt !== undefined || length === undefined || length === 0 || length > SMALL_READ) {
    return undefined;
  }
  if (cursor.holdsBytes()) return undefined;
  const buffer = allocate(length);
  const fail = (error: unknown): never => {
    // Give the memory back now, not at the next garbage collection.
    buffer.release();
    throw error;
  };
  const filled = (got: number): Awaitable<Buffer> => {
    cursor.position += got;
    if (got === length) return buffer;
    const rest = fillBuffer(cursor, side, buffer, got, allocate, got === 0);
    return synchronous ? runSync(rest) : runAsync(rest);
  };
  let read: Awaitable<number>;
  try {
    read = side.readAt!(cursor.position, buffer.view);
    if (synchronous) read = syncValue(read);
  } catch (error) {
    return fail(error);
  }
  return isThenable(read) ? Promise.resolve(read).then(filled, fail) : filled(read);
}

/** Up to `length` bytes at `offset` of a random-access file, without moving anything. */
export function* readAt(side: UnderlyingFile, offset: number, length: number): Steps<Uint8Array> {
  if (side.readFresh !== undefined) return yield* settle(side.readFresh(offset, length));
  // A small read skips asking the size (an fstat, a round trip): a read at the end of the
  // file then costs one extra backend read that returns 0. A large one must not allocate
  // more than the file holds.
  const size = length <= SMALL_READ ? Infinity : yield* sizeOf(side);
  const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
  return trimmed(out, yield* fillAt(side, offset, out));
}

/** Each range's bytes, in order: through the backend's coalescing reader where it has one. */
export function* readRanges(side: UnderlyingFile, ranges: readonly ByteRange[]): Steps<Uint8Array[]> {
  if (side.readRanges !== undefined) return yield* settle(side.readRanges(ranges));
  const results: Uint8Array[] = [];
  for (const range of ranges) results.push(yield* readAt(side, range.offset, range.length));
  return results;
}

/** At most `length` bytes with at most one backend read. */
export function* read1(cursor: Cursor, side: UnderlyingFile, length: number): Steps<Uint8Array> {
  const out = new Uint8Array(Math.min(length, PIECE));
  const got = out.byteLength === 0 ? 0 : yield* pull(cursor, side, out);
  cursor.position += got;
  return trimmed(out, got);
}

/**
 * One line, up to and including `\n`, of at most `limit` bytes. Reads chunks that double in
 * size and scans them, so a long line costs linear time and memory about its size; a stream
 * keeps what follows the line for the next read.
 * @throws IOError code `ELINE` when the line grows past `maxLineLength`.
 */
export function* readline(cursor: Cursor, side: UnderlyingFile, limit: number, maxLineLength = Infinity): Steps<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let chunkSize = cursor.seekable ? LINE_LOOKAHEAD : FIRST_CHUNK;
  while (total < limit) {
    const chunk = new Uint8Array(Math.min(chunkSize, limit - total));
    const got = yield* pull(cursor, side, chunk);
    if (got === 0) break;
    const newline = chunk.subarray(0, got).indexOf(NEWLINE);
    const taken = newline === -1 ? got : newline + 1;
    parts.push(chunk.subarray(0, taken));
    total += taken;
    cursor.position += taken;
    if (!side.sharedMemory) cursor.giveBack(chunk.subarray(taken, got));
    if (total > maxLineLength) {
      throw new IOError(`a line is longer than maxLineLength (${maxLineLength} bytes)`, { code: 'ELINE' });
    }
    if (newline !== -1) break;
    chunkSize = Math.min(chunkSize * 2, 1024 * 1024);
  }
  return concat(parts, total);
}

function clampToRemaining(position: number, length: number | undefined, size: number): number {
  const remaining = Math.max(0, size - position);
  return length === undefined ? remaining : Math.min(length, remaining);
}

/** The first `length` bytes; a copy when that frees most of the memory. */
export function trimmed(bytes: Uint8Array, length: number): Uint8Array {
  if (length === bytes.byteLength) return bytes;
  return length * 2 < bytes.byteLength ? bytes.slice(0, length) : bytes.subarray(0, length);
}

/** A new buffer from `allocate` holding a copy of `bytes`. */
function copyInto(allocate: (size: number) => Buffer, bytes: Uint8Array): Buffer {
  const buffer = allocate(bytes.byteLength);
  buffer.view.set(bytes);
  return buffer;
}

/** The backend's size. */
export function* sizeOf(side: UnderlyingFile): Steps<number> {
  return countAnswer(side, 'size', yield* settle(side.size!()));
}
