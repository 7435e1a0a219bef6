import { checkPositiveSize } from '../../util/validate.js';
import { andThen } from '../core/awaitable.js';
import { checkFile } from '../core/file-check.js';
import type { Async, InputStream, SyncInputStream } from '../core/interfaces.js';
import { NativeFile } from '../core/native-file.js';
import { PooledFile } from '../core/file-class.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { wrapperFaces, wrapperTraits, type RawCalls } from './raw-calls.js';

/** The buffer both faces of one stream share. */
class ReadBuffer {
  start = 0;
  end = 0;
  detached = false;
  constructor(readonly bytes: Uint8Array) {}

  take(into: Uint8Array): number {
    const count = Math.min(into.byteLength, this.end - this.start);
    into.set(this.bytes.subarray(this.start, this.start + count));
    this.start += count;
    return count;
  }
}

function bufferedSource(state: ReadBuffer, raw: RawCalls): UnderlyingFile {
  return {
    read(into) {
      if (state.start < state.end) return state.take(into);
      // A read at least as large as the buffer gains nothing from it.
      if (into.byteLength >= state.bytes.byteLength) return raw.readInto(into);
      return andThen(raw.readInto(state.bytes), (got) => {
        state.start = 0;
        state.end = got;
        return state.take(into);
      });
    },
    close: () => (state.detached ? undefined : raw.close()),
    interrupt: () => (state.detached ? undefined : raw.interrupt()),
  };
}

/** What a buffered input stream adds to the stream it is. */
export interface BufferedInput {
  /** The size of the buffer. */
  readonly bufferSize: number;
  /** Bytes read from `raw` but not yet from this stream. */
  readonly bytesBuffered: number;
  /** Closes this stream without closing `raw`, and returns `raw`. Buffered bytes are dropped. */
  detach(): NativeFile;
}

/** A buffered input stream over a synchronous or an asynchronous raw stream. */
export type BufferedInputStream = (SyncInputStream | Async<InputStream>) & BufferedInput;

/** The constructor's types: synchronous over a synchronous `raw`. */
export interface BufferedInputStreamConstructor {
  new (raw: SyncInputStream, bufferSize: number): SyncInputStream & BufferedInput;
  new (raw: InputStream, bufferSize: number): BufferedInputStream;
  /** What `instanceof BufferedInputStream` tests. */
  readonly prototype: BufferedInputStream;
}

/**
 * Reads a file through a buffer of `bufferSize` bytes, so many small reads (and `readline`)
 * cost one read of the underlying file each time the buffer empties (Arrow's
 * `BufferedInputStream`). Not seekable. Closing it closes `raw`; `detach()` does not.
 */
export const BufferedInputStream = class BufferedInputStream extends PooledFile {
  readonly #raw: NativeFile;
  readonly #state: ReadBuffer;

  constructor(raw: InputStream, bufferSize: number) {
    const file = checkFile(raw, 'raw', 'readable');
    const state = new ReadBuffer(new Uint8Array(checkPositiveSize(bufferSize, 'bufferSize')));
    const faces = wrapperFaces(file, (calls) => bufferedSource(state, calls));
    super(faces.underlying, wrapperTraits('BufferedInputStream', 'rb', faces));
    this.#raw = file;
    this.#state = state;
  }

  get bufferSize(): number {
    return this.#state.bytes.byteLength;
  }

  get bytesBuffered(): number {
    return this.#state.end - this.#state.start;
  }

  detach(): NativeFile {
    this.tell(); // throws once closed
    this.#state.detached = true;
    // Detached, closing releases the buffer only: it cannot fail, and nobody awaits it.
    this.close().catch(() => {});
    return this.#raw;
  }
} as unknown as BufferedInputStreamConstructor;
