/**
 * The write algorithms of the file core, as {@link Steps} (see `algorithms.ts`): writes go to
 * the backend in pieces of at most {@link PIECE} bytes (`take` hands its bytes over whole),
 * after the backend checked the whole write fits (`fits`), and forget what was read ahead.
 * @module
 */
import { UnsupportedOperationError } from '../../errors.js';
import { PIECE } from './algorithms.js';
import type { Cursor } from './cursor.js';
import { settle, YIELD_TO_EVENT_LOOP, type Steps } from './steps.js';
import type { UnderlyingFile } from './underlying.js';

/** Writes all of `bytes` at the cursor, in pieces, moving it; positionally where the backend can. */
export function* write(cursor: Cursor, side: UnderlyingFile, bytes: Uint8Array): Steps<number> {
  side.fits?.(cursor.position, bytes.byteLength);
  cursor.forget();
  for (let done = 0; done < bytes.byteLength; done += PIECE) {
    if (done > 0) yield YIELD_TO_EVENT_LOOP;
    const piece = bytes.subarray(done, done + PIECE);
    yield* settle(side.writeAt === undefined ? side.write!(piece) : side.writeAt(cursor.position, piece));
    cursor.position += piece.byteLength;
  }
  return bytes.byteLength;
}

/** Writes all of `bytes` from the cursor in one piece, giving them to the backend (`takeAt`). */
export function* take(cursor: Cursor, side: UnderlyingFile, bytes: Uint8Array): Steps<number> {
  const length = bytes.byteLength; // taken, `bytes` may be empty
  cursor.forget();
  yield* settle(side.takeAt!(cursor.position, bytes));
  cursor.position += length;
  return length;
}

/** Writes all of `bytes` at `offset`, in pieces, moving nothing. */
export function* writeAt(cursor: Cursor, side: UnderlyingFile, offset: number, bytes: Uint8Array): Steps<number> {
  side.fits?.(offset, bytes.byteLength);
  cursor.forget();
  for (let done = 0; done < bytes.byteLength; done += PIECE) {
    if (done > 0) yield YIELD_TO_EVENT_LOOP;
    yield* settle(side.writeAt!(offset + done, bytes.subarray(done, done + PIECE)));
  }
  return bytes.byteLength;
}

/** Cuts or extends the file to `size` bytes; the position stays. */
export function* truncate(cursor: Cursor, side: UnderlyingFile, size: number): Steps<void> {
  if (side.truncate === undefined) throw new UnsupportedOperationError('this file cannot be truncated');
  cursor.forget();
  yield* settle(side.truncate(size));
}
