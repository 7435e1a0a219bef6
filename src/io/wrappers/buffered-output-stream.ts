import { checkPositiveSize } from '../../util/validate.js';
import { andThen } from '../core/awaitable.js';
import { checkFile } from '../core/file-check.js';
import type { Async, OutputStream, SyncOutputStream } from '../core/interfaces.js';
import { NativeFile } from '../core/native-file.js';
import { PooledFile } from '../core/file-class.js';
import type { Awaitable, UnderlyingFile } from '../core/underlying.js';
import { wrapperFaces, wrapperTraits, type RawCalls } from './raw-calls.js';

/** The buffer both faces of one stream share. */
class WriteBuffer {
  used = 0;
  detached = false;
  constructor(readonly bytes: Uint8Array) {}
}

/** What a stream dropped without `close()` leaves to be done: the buffer, and where it goes. */
interface Orphan {
  readonly state: WriteBuffer;
  readonly raw: NativeFile;
}

/**
 * Writes out what a stream dropped without `close()` still buffered, and closes its raw
 * stream, as Arrow's destructor does (PyArrow's `test_output_stream_destructor`). The held
 * value is the buffer and the raw stream, never the stream itself, which could then never be
 * collected. There is no caller to tell of a failure: it is reported once on the console.
 */
const orphans = new FinalizationRegistry<Orphan>(({ state, raw }) => {
  if (state.detached || raw.closed) return;
  const pending = state.bytes.slice(0, state.used);
  state.used = 0;
  try {
    if (raw.isSync && raw.writable()) {
      if (pending.byteLength > 0) raw.writeSync(pending);
      raw.closeSync();
      return;
    }
  } catch {
    // Busy with an async call or failed: the asynchronous route below reports it.
  }
  (async () => {
    if (pending.byteLength > 0) await raw.write(pending);
    await raw.close();
  })().catch(warnOnce);
});

let warned = false;
function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn('nativefile: a BufferedOutputStream dropped without close() could not write out its buffer:', error);
}

function bufferedSink(state: WriteBuffer, raw: RawCalls): UnderlyingFile {
  const drain = (): Awaitable<unknown> => {
    if (state.used === 0) return undefined;
    // Emptied only once written: after a failed write the bytes are still there (and counted).
    return andThen(raw.write(state.bytes.subarray(0, state.used)), () => {
      state.used = 0;
    });
  };
  return {
    write(bytes) {
      const capacity = state.bytes.byteLength;
      const drained = state.used + bytes.byteLength > capacity ? drain() : undefined;
      return andThen(drained, () => {
        if (bytes.byteLength >= capacity) return andThen(raw.write(bytes), () => undefined);
        state.bytes.set(bytes, state.used);
        state.used += bytes.byteLength;
        return undefined;
      });
    },
    flush: () => andThen(drain(), () => raw.flush()),
    close() {
      orphans.unregister(state);
      // Detached: what is buffered still goes to `raw` (after every write called before the
      // detach), which stays open.
      if (state.detached) return andThen(drain(), () => raw.flush());
      // `raw` is closed even when the last write fails, and the failure is reported.
      let drained: Awaitable<unknown>;
      try {
        drained = drain();
      } catch (error) {
        return andThen(raw.close(), () => {
          throw error;
        });
      }
      if (drained instanceof Promise) return drained.finally(() => raw.close()).then(() => undefined);
      return raw.close();
    },
  };
}

/** What a buffered output stream adds to the stream it is. */
export interface BufferedOutput {
  /** The size of the buffer. */
  readonly bufferSize: number;
  /** Bytes written to this stream but not yet to `raw`. */
  readonly bytesBuffered: number;
  /** Writes out the buffer, closes this stream without closing `raw`, and returns `raw`. */
  detach(): Promise<NativeFile>;
}

/** A buffered output stream over a synchronous or an asynchronous raw stream. */
export type BufferedOutputStream = (
  | (SyncOutputStream & {
      /** {@link BufferedOutput.detach}, synchronously: flushes, closes this stream and returns the raw one, still open. */
      detachSync(): NativeFile;
    })
  | Async<OutputStream>
) &
  BufferedOutput;

/** The constructor's types: synchronous over a synchronous `raw`. */
export interface BufferedOutputStreamConstructor {
  new (
    raw: SyncOutputStream,
    bufferSize: number,
  ): SyncOutputStream &
    BufferedOutput & {
      /** {@link BufferedOutput.detach}, synchronously: flushes, closes this stream and returns the raw one, still open. */
      detachSync(): NativeFile;
    };
  new (raw: OutputStream, bufferSize: number): BufferedOutputStream;
  /** What `instanceof BufferedOutputStream` tests. */
  readonly prototype: BufferedOutputStream;
}

/**
 * Gathers writes in a buffer of `bufferSize` bytes and writes them to `raw` when it fills, on
 * `flush()` and on `close()` (Arrow's `BufferedOutputStream`). Writes at least as large as the
 * buffer go straight through. Closing it closes `raw`; `detach()` flushes and does not. A
 * stream dropped without `close()` writes out its buffer and closes `raw` when it is
 * garbage-collected (as Arrow's destructor does); `close()` says when, and reports failures.
 */
export const BufferedOutputStream = class BufferedOutputStream extends PooledFile {
  readonly #raw: NativeFile;
  readonly #state: WriteBuffer;

  constructor(raw: OutputStream, bufferSize: number) {
    const file = checkFile(raw, 'raw', 'writable');
    const state = new WriteBuffer(new Uint8Array(checkPositiveSize(bufferSize, 'bufferSize')));
    const faces = wrapperFaces(file, (calls) => bufferedSink(state, calls));
    super(faces.underlying, wrapperTraits('BufferedOutputStream', 'wb', faces));
    this.#raw = file;
    this.#state = state;
    orphans.register(this, { state, raw: file }, state);
  }

  get bufferSize(): number {
    return this.#state.bytes.byteLength;
  }

  get bytesBuffered(): number {
    return this.#state.used;
  }

  async detach(): Promise<NativeFile> {
    this.tell(); // throws once closed
    // Closing now orders the detach after the writes called before it and refuses later ones.
    this.#state.detached = true;
    await this.close();
    return this.#raw;
  }

  detachSync(): NativeFile {
    this.tell(); // throws once closed
    this.#state.detached = true;
    this.closeSync();
    return this.#raw;
  }
} as unknown as BufferedOutputStreamConstructor;
