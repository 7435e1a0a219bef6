/**
 * The foreign file-like objects `JsFile` wraps (PyArrow's `PythonFile` accepts Python's):
 * Node's `FileHandle`, `Readable` and `Writable`, and duck-typed readers and writers.
 * @module
 */
import type { BytesLike } from '../../memory/buffer.js';

/** A duck-typed reader: `read(n)` returns up to `n` bytes (empty or `null` at the end), maybe as a Promise. */
export interface DuckReader {
  /** Up to `n` bytes from the object's position; empty, `null` or `undefined` at the end. */
  read(n: number): BytesLike | null | undefined | Promise<BytesLike | null | undefined>;
  /** Moves the object's position (`whence` as in {@link NativeFile.seek}); with `tell`, it makes the file random-access. */
  seek?(offset: number, whence?: number): unknown;
  /** The object's position. */
  tell?(): number | Promise<number>;
  /** The size in bytes; without it, a seekable object is measured by seeking to its end. */
  size?(): number | Promise<number>;
  /** Called when the file is closed. */
  close?(): unknown;
  /** A PyArrow-style mode string: the file's mode when none is given (`'r'` in it means reading). */
  readonly mode?: string;
}

/** A duck-typed reader that can seek: it gives random access. */
export interface SeekableDuckReader extends DuckReader {
  /** Moves the object's position; a positional read seeks there first. */
  seek(offset: number, whence?: number): unknown;
  /** The object's position. */
  tell(): number | Promise<number>;
}

/** A duck-typed writer: `write(bytes)`, maybe returning a Promise. */
export interface DuckWriter {
  /** Writes all of `data`; a returned Promise is awaited before the next write. */
  write(data: Uint8Array): unknown;
  /** Called by the file's `flush`. */
  flush?(): unknown;
  /** Called when the file is closed. */
  close?(): unknown;
  /** A PyArrow-style mode string: the file's mode when none is given. */
  readonly mode?: string;
}

/** The part of Node's `fs/promises` `FileHandle` that JsFile uses. */
export interface FileHandleLike {
  /** The descriptor; a number here is how a handle is told from other objects. */
  readonly fd: number;
  /** Reads into `buffer` at `offset`, from `position` in the file. */
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{
    /** How many bytes were read; 0 at the end. */
    bytesRead: number;
  }>;
  /** Writes from `buffer` at `offset`, to `position` in the file. */
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{
    /** How many bytes were written. */
    bytesWritten: number;
  }>;
  /** The file's metadata, of which only the size is used. */
  stat(): Promise<{
    /** The size in bytes. */
    size: number | bigint;
  }>;
  /** Called by the file's `flush`, where present. */
  sync?(): Promise<void>;
  /** Called when the file is closed. */
  close(): Promise<void>;
}

/** The part of a Node `Readable` that JsFile uses. */
export interface NodeReadableLike extends AsyncIterable<unknown> {
  /** A boolean here (with `pipe` and async iteration) is how a Node stream is recognised. */
  readonly readable: boolean;
  /** Not called; its presence tells a Node stream from other async iterables. */
  pipe(destination: unknown): unknown;
  /** Called when the file is closed. */
  destroy(error?: Error): unknown;
}

/** The part of a Node `Writable` that JsFile uses. */
export interface NodeWritableLike {
  /** A boolean here (with `write` and `end`) is how a Node stream is recognised. */
  readonly writable: boolean;
  /** Writes a chunk; the file waits for the callback, so the stream's backpressure holds. */
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  /** Called when the file is closed. */
  end(callback: (error?: Error | null) => void): unknown;
  /** Listens for an error while the stream ends, which fails the file's `close`. */
  once(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes a listener added by `once`, where the stream can. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
  /** Called by the file's `abort`, where present: the stream is destroyed, not ended. */
  destroy?(): unknown;
}

/** Anything {@link JsFile} wraps. */
export type FileLike = FileHandleLike | NodeReadableLike | NodeWritableLike | DuckReader | DuckWriter;
