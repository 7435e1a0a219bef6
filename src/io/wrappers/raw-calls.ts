import type { NativeFile } from '../core/native-file.js';
import type { FileTraits } from '../core/file-traits.js';
import type { Awaitable, UnderlyingFile } from '../core/underlying.js';

/** The calls a wrapper makes on the file it wraps, synchronous or not. */
export interface RawCalls {
  /**
   * Reads what `raw` has now, up to `view.byteLength`, with at most one read of it (a live
   * stream must not be waited on until the view is full); 0 only at the end.
   */
  readInto(view: Uint8Array): Awaitable<number>;
  write(bytes: Uint8Array): Awaitable<unknown>;
  flush(): Awaitable<void>;
  close(): Awaitable<void>;
  /** Interrupts `raw`'s reads waiting on a source (a wrapper's `close` ends in closing `raw`). */
  interrupt(): void;
}

function copyInto(view: Uint8Array, bytes: Uint8Array): number {
  view.set(bytes);
  return bytes.byteLength;
}

/** `raw`'s synchronous methods, for a wrapper's synchronous face. */
function syncCalls(raw: NativeFile): RawCalls {
  return {
    readInto: (view) => copyInto(view, raw.read1Sync(view.byteLength)),
    write: (bytes) => raw.writeSync(bytes),
    flush: () => raw.flushSync(),
    close: () => raw.closeSync(),
    interrupt: () => raw.interrupt(),
  };
}

/** `raw`'s async methods, for a wrapper's asynchronous face. */
function asyncCalls(raw: NativeFile): RawCalls {
  return {
    readInto: (view) => raw.read1(view.byteLength).then((bytes) => copyInto(view, bytes)),
    write: (bytes) => raw.write(bytes),
    flush: () => raw.flush(),
    close: () => raw.close(),
    interrupt: () => raw.interrupt(),
  };
}

/**
 * A wrapper's backend and traits: synchronous over a synchronous `raw` (with an async face
 * that uses `raw`'s async methods, so those never block), asynchronous otherwise. `make`
 * builds the backend once per face from the calls it should make.
 */
export function wrapperFaces(
  raw: NativeFile,
  make: (calls: RawCalls) => UnderlyingFile,
): { underlying: UnderlyingFile; async: UnderlyingFile; sync: boolean } {
  const async = make(asyncCalls(raw));
  return raw.isSync ? { underlying: make(syncCalls(raw)), async, sync: true } : { underlying: async, async, sync: false };
}

/** The traits of a wrapper stream over `raw`. */
export function wrapperTraits(kind: string, mode: 'rb' | 'wb', faces: { async: UnderlyingFile; sync: boolean }): FileTraits {
  return { kind, mode, seekable: false, sync: faces.sync, async: faces.async };
}
