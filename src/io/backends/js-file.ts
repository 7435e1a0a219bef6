import { UnsupportedOperationError } from '../../errors.js';
import { bytesOf, type BytesLike } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../core/file-mode.js';
import type { Async, InputStream, OutputStream, RandomAccessFile, ReadWriteFile } from '../core/interfaces.js';
import { NativeFile } from '../core/native-file.js';
import { PooledFile } from '../core/file-class.js';
import type { UnderlyingFile } from '../core/underlying.js';

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
}

/** Anything {@link JsFile} wraps. */
export type FileLike = FileHandleLike | NodeReadableLike | NodeWritableLike | DuckReader | DuckWriter;

const has = (value: unknown, method: string): boolean =>
  typeof (value as Record<string, unknown> | null)?.[method] === 'function';

/** An adapter: the backend for one kind of object, and whether it has random access. */
interface Adapter extends UnderlyingFile {
  readonly seekable: boolean;
}

/** What `new JsFile(...)` gives, by what it wraps and the mode. */
export interface JsFileConstructor {
  new (handle: FileHandleLike | SeekableDuckReader, mode?: 'rb' | 'r'): Async<RandomAccessFile>;
  new (handle: FileHandleLike, mode: 'rb+' | 'r+' | 'r+b'): Async<ReadWriteFile>;
  new (handle: NodeReadableLike | DuckReader, mode?: 'rb' | 'r'): Async<InputStream>;
  new (handle: FileLike, mode: 'wb' | 'ab' | 'w' | 'a'): Async<OutputStream>;
  new (handle: NodeWritableLike | DuckWriter): Async<OutputStream>;
  new (handle: FileLike, mode?: FileModeInput): Async<InputStream> | Async<OutputStream>;
  /** Every JsFile is a {@link NativeFile}, so `instanceof JsFile` and `instanceof NativeFile` both hold. */
  readonly prototype: NativeFile;
}

/** A file over a foreign file-like object: its type depends on the object and the mode. */
export type JsFile = Async<InputStream> | Async<OutputStream>;

/**
 * A file over a foreign JavaScript file-like object (PyArrow's `PythonFile`): a Node
 * `FileHandle` (random access, reading straight into the caller's memory), a Node `Readable`
 * or `Writable`, or any object with `read(n)` or `write(bytes)` (and optionally `seek`/`tell`).
 *
 * Without `mode`, it is inferred as PyArrow does: from the object's `mode` string, else
 * `'rb'` for something that reads and `'wb'` for something that only writes. Always async.
 */
export const JsFile = class JsFile extends PooledFile {
  constructor(handle: FileLike, mode?: FileModeInput) {
    if (typeof handle !== 'object' || handle === null) {
      throw new TypeError(`handle must be a file-like object, got ${describe(handle)}`);
    }
    const canonical = mode === undefined ? inferMode(handle) : parseFileMode(mode, ['rb', 'wb', 'ab', 'rb+']);
    const adapter = adapterFor(handle, canonical);
    super(adapter, { kind: 'JsFile', mode: canonical, seekable: adapter.seekable, sync: false });
  }
} as unknown as JsFileConstructor;

function inferMode(handle: object): FileMode {
  const declared = (handle as { mode?: unknown }).mode;
  if (typeof declared === 'string') return declared.includes('r') ? 'rb' : 'wb';
  if (isFileHandle(handle)) return 'rb';
  if (isNodeReadable(handle)) return 'rb';
  if (isNodeWritable(handle)) return 'wb';
  if (has(handle, 'read')) return 'rb';
  if (has(handle, 'write')) return 'wb';
  throw new TypeError(`handle must be a file-like object with read() or write(), got ${describe(handle)}`);
}

function isFileHandle(value: object): value is FileHandleLike {
  return typeof (value as FileHandleLike).fd === 'number' && has(value, 'stat') && has(value, 'read');
}

function isNodeReadable(value: object): value is NodeReadableLike {
  return has(value, 'pipe') && Symbol.asyncIterator in value && typeof (value as NodeReadableLike).readable === 'boolean';
}

function isNodeWritable(value: object): value is NodeWritableLike {
  return has(value, 'end') && has(value, 'write') && typeof (value as NodeWritableLike).writable === 'boolean';
}

function adapterFor(handle: object, mode: FileMode): Adapter {
  if (isFileHandle(handle)) return fileHandleAdapter(handle, mode);
  if (mode === 'rb' && isNodeReadable(handle)) return chunkReaderAdapter(handle[Symbol.asyncIterator](), () => handle.destroy());
  if (mode !== 'rb' && isNodeWritable(handle)) return nodeWritableAdapter(handle);
  if (mode === 'rb' && has(handle, 'read')) return duckReaderAdapter(handle as DuckReader);
  if (mode !== 'rb' && has(handle, 'write')) return duckWriterAdapter(handle as DuckWriter);
  throw new TypeError(`${describe(handle)} cannot be opened in mode '${mode}': it lacks ${mode === 'rb' ? 'read()' : 'write()'}`);
}

function fileHandleAdapter(handle: FileHandleLike, mode: FileMode): Adapter {
  return {
    seekable: mode === 'rb' || mode === 'rb+',
    async readAt(position, into) {
      // FileHandle.read fills the caller's memory directly: no intermediate copy.
      return (await handle.read(into, 0, into.byteLength, position)).bytesRead;
    },
    async writeAt(position, bytes) {
      for (let done = 0; done < bytes.byteLength;) {
        const at = mode === 'ab' ? null : position + done;
        done += (await handle.write(bytes, done, bytes.byteLength - done, at)).bytesWritten;
      }
    },
    async size() {
      return Number((await handle.stat()).size);
    },
    async flush() {
      await handle.sync?.();
    },
    close: () => handle.close(),
  };
}

/** Reads from an iterator of chunks, keeping what a read did not take. */
function chunkReaderAdapter(chunks: AsyncIterator<unknown>, close: () => unknown): Adapter {
  let pending: Uint8Array | undefined;
  return {
    seekable: false,
    async read(into) {
      while (pending === undefined || pending.byteLength === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        pending = bytesOf(next.value, 'a chunk of the stream');
      }
      const count = Math.min(into.byteLength, pending.byteLength);
      into.set(pending.subarray(0, count));
      pending = pending.subarray(count);
      return count;
    },
    async close() {
      pending = undefined;
      await close();
    },
  };
}

function nodeWritableAdapter(stream: NodeWritableLike): Adapter {
  return {
    seekable: false,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        // The stream may keep the chunk queued; the caller may reuse its memory.
        stream.write(bytes.slice(), (error) => (error ? reject(error) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end((error) => {
          stream.removeListener?.('error', reject);
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

function duckReaderAdapter(reader: DuckReader): Adapter {
  const seekable = has(reader, 'seek') && has(reader, 'tell');
  let where: number | undefined;
  let pending: Uint8Array | undefined;
  /**
   * The object has one position, shared by every call: its seeks and reads run one at a time,
   * though the core lets positional reads overlap.
   */
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(call: () => Promise<T>): Promise<T> => {
    const result = tail.then(call, call);
    tail = result.catch(() => undefined);
    return result;
  };
  /** Reads at `position` (seeking first if the object is elsewhere), or on from where it is. */
  const readFromNow = async (position: number | undefined, into: Uint8Array): Promise<number> => {
    if (position !== undefined && where !== position) {
      await reader.seek!(position, 0);
      pending = undefined;
    }
    if (pending === undefined || pending.byteLength === 0) {
      const result = await reader.read(into.byteLength);
      pending = result == null ? new Uint8Array(0) : bytesOf(result, 'what read() returned');
    }
    const count = Math.min(into.byteLength, pending.byteLength);
    into.set(pending.subarray(0, count));
    pending = pending.subarray(count);
    where = (position ?? where ?? 0) + count;
    return count;
  };
  const readFrom = (position: number | undefined, into: Uint8Array) => oneAtATime(() => readFromNow(position, into));
  const common = {
    size: (): Promise<number> =>
      oneAtATime(async () => {
        if (has(reader, 'size')) return await reader.size!();
        if (!seekable) throw new UnsupportedOperationError('the size of this object is not known');
        const here = await reader.tell!();
        await reader.seek!(0, 2);
        const end = await reader.tell!();
        await reader.seek!(here, 0);
        return end;
      }),
    async close(): Promise<void> {
      await reader.close?.();
    },
  };
  return seekable
    ? { seekable, readAt: (position, into) => readFrom(position, into), ...common }
    : { seekable, read: (into) => readFrom(undefined, into), ...common };
}

function duckWriterAdapter(writer: DuckWriter): Adapter {
  return {
    seekable: false,
    async write(bytes) {
      await writer.write(bytes.slice());
    },
    async flush() {
      await writer.flush?.();
    },
    async close() {
      await writer.close?.();
    },
  };
}
