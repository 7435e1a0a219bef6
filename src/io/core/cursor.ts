import type { Awaitable, UnderlyingFile } from './underlying.js';
import { concat } from '../../util/concat.js';

/**
 * Where a file is: its position, and the bytes read ahead but not consumed (a line reader
 * reads a chunk and gives back what follows the line). Every read of the core goes through
 * {@link Cursor.pull}, so what was given back is read first: on a stream it is the only copy
 * of those bytes; on a random-access file it saves a backend read (one worker or network
 * round trip per line otherwise), and it is dropped on any seek or write.
 */
export class Cursor {
  /** Bytes consumed (or written) so far, and for random access where the next read starts. */
  position: number;
  #unread: Uint8Array | undefined;
  /** Where the unread bytes start, for a random-access file. */
  #unreadAt = 0;

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
    let unread = this.#unread;
    // A seek elsewhere makes what was read ahead useless.
    if (unread !== undefined && this.seekable && this.#unreadAt !== this.position) unread = this.#unread = undefined;
    if (unread === undefined) return this.seekable ? side.readAt!(this.position, into) : side.read!(into);
    const count = Math.min(unread.byteLength, into.byteLength);
    into.set(unread.subarray(0, count));
    this.#unread = count === unread.byteLength ? undefined : unread.subarray(count);
    this.#unreadAt = this.position + count;
    return count;
  }

  /** Whether bytes read ahead wait at the position (a read must take them first). */
  holdsBytes(): boolean {
    return this.#unread !== undefined && (!this.seekable || this.#unreadAt === this.position);
  }

  /** Gives back pulled bytes that were not consumed (they start at the position). */
  giveBack(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    const unread = this.#unread;
    this.#unread = unread === undefined ? bytes : concat([bytes, unread], bytes.byteLength + unread.byteLength);
    this.#unreadAt = this.position;
  }

  /** Drops what was read ahead: the file moved or changed (random access), or was detached. */
  forget(): void {
    this.#unread = undefined;
  }
}
