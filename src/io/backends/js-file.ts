import { describe } from '../../util/validate.js';
import { parseFileMode, type FileModeInput } from '../../util/file-mode.js';
import { PooledFile } from '../core/file-class.js';
import type { Async, InputStream, OutputStream, RandomAccessFile, ReadWriteFile } from '../core/interfaces.js';
import type { NativeFile } from '../core/native-file.js';
import { adapterFor, inferMode } from './js-file-adapters.js';
import type {
  DuckReader,
  DuckWriter,
  FileHandleLike,
  FileLike,
  NodeReadableLike,
  NodeWritableLike,
  SeekableDuckReader,
} from './js-file-like.js';

export type {
  DuckReader,
  DuckWriter,
  FileHandleLike,
  FileLike,
  NodeReadableLike,
  NodeWritableLike,
  SeekableDuckReader,
} from './js-file-like.js';

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
 * In `'ab'`, writes go to the end and `tell()` counts the bytes written since the file was
 * wrapped (a `FileHandle`'s size cannot be known synchronously; `OSFile` starts at the size).
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
