import type { Awaitable, UnderlyingFile } from './underlying.js';

/**
 * Where a file is: its position, and for streams the bytes read ahead but not consumed (a
 * line reader reads a chunk and gives back what follows the line). Every read of the core
 * goes through {@link Cursor.pull}, so what was given back is read first.
 */
export class Cursor {
  /** Bytes consumed (or written) so far, and for random access where the next read starts. */
  position: number;
  #unread: Uint8Array | undefined;

  constructor(
    readonly seekable: boolean,
    position: number,
  ) {
    this.position = position;
  }

  /**
   * Reads some bytes into `into` from where the cursor is, without moving it: at the
   * position of a random-access file, or the next bytes of a stream (which the caller then
   * consumes, or gives back).
   */
  pull(side: UnderlyingFile, into: Uint8Array): Awaitable<number> {
    if (this.seekable) return side.readAt!(this.position, into);
    const unread = this.#unread;
    if (unread === undefined) return side.read!(into);
    const count = Math.min(unread.byteLength, into.byteLength);
    into.set(unread.subarray(0, count));
    this.#unread = count === unread.byteLength ? undefined : unread.subarray(count);
    return count;
  }

  /** Gives back pulled bytes that were not consumed; a random-access file just reads them again. */
  giveBack(bytes: Uint8Array): void {
    if (this.seekable || bytes.byteLength === 0) return;
    this.#unread = this.#unread === undefined ? bytes : concat([bytes, this.#unread], bytes.byteLength + this.#unread.byteLength);
  }

  /** Drops what was read ahead (the stream is detached or closed). */
  forget(): void {
    this.#unread = undefined;
  }
}

/** The parts joined into one array (the part itself when there is one). */
export function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
