import { closeSync, constants, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { IOError } from '../../errors.js';
import { allocateBuffer } from '../../memory/allocate-buffer.js';
import { Buffer } from '../../memory/buffer.js';
import { checkSize, describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../../util/file-mode.js';
import { fileClass } from '../core/file-class.js';
import { NativeFile } from '../core/native-file.js';
import type { SyncReadWriteFile } from '../core/interfaces.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { fsError } from '../fs-error.js';
import { mmapAddon } from '../mmap-addon.js';

/**
 * V8 caps one ArrayBuffer at 4 GiB, so large files are mapped in windows: window k maps
 * [k·WINDOW, k·WINDOW + 2·WINDOW), so any read of up to WINDOW bytes lies in one mapping.
 */
const WINDOW = 1024 * 1024 * 1024;

/**
 * As Arrow's `MemoryMappedFile::Open`: reading maps an existing file; writing (`'w'`, `'r+'`)
 * opens it for reading and writing, creating it empty if it is missing (permissions 0o666
 * less the umask), and never truncates it.
 */
const FLAGS: Record<FileMode, number> = {
  rb: constants.O_RDONLY,
  wb: constants.O_RDWR | constants.O_CREAT,
  ab: constants.O_RDWR | constants.O_CREAT,
  'rb+': constants.O_RDWR | constants.O_CREAT,
};

/** Closes descriptors of maps that were dropped without `close()`. */
const dropped = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed; nothing left to release.
  }
});

/** A mapped file's windows, size and descriptor: the backend of {@link MemoryMappedFile}. */
class Mapping implements UnderlyingFile {
  readonly #windows = new Map<number, ArrayBuffer>();
  readonly sharedMemory = true;

  constructor(
    readonly path: string,
    readonly fd: number,
    readonly writable: boolean,
    public length: number,
  ) {}

  size(): number {
    return this.length;
  }

  readAt(position: number, into: Uint8Array): number {
    this.#checkFresh();
    if (position >= this.length) return 0;
    const [mapping, start] = this.#window(position);
    const count = Math.min(into.byteLength, this.length - position, start + mapping.byteLength - position);
    into.set(new Uint8Array(mapping, position - start, count));
    // The copy itself may have touched pages the file no longer has (the addon gave zeros).
    this.#checkFresh();
    return count;
  }

  sliceAt(position: number, length: number): Buffer {
    this.#checkFresh();
    if (length === 0) return Buffer.wrap(new Uint8Array(0), { mutable: this.writable });
    const [mapping, start] = this.#window(position);
    if (position + length <= start + mapping.byteLength) {
      // The view keeps the mapping (its ArrayBuffer) alive after the file closes.
      return Buffer.wrap(new Uint8Array(mapping, position - start, length), { mutable: this.writable });
    }
    const buffer = allocateBuffer(length);
    for (let done = 0; done < length;) done += this.readAt(position + done, buffer.view.subarray(done));
    return buffer;
  }

  fits(position: number, length: number): void {
    if (position + length > this.length) {
      throw new IOError(
        `write of ${length} bytes at offset ${position} passes the end of a ${this.length}-byte memory map; resize() it first`,
        { code: 'ENOSPC' },
      );
    }
  }

  writeAt(position: number, bytes: Uint8Array): void {
    this.#checkFresh();
    this.fits(position, bytes.byteLength);
    for (let done = 0; done < bytes.byteLength;) {
      const [mapping, start] = this.#window(position + done);
      const count = Math.min(bytes.byteLength - done, start + mapping.byteLength - (position + done));
      new Uint8Array(mapping, position + done - start, count).set(bytes.subarray(done, done + count));
      done += count;
    }
    this.#checkFresh();
  }

  flush(): void {
    this.#checkFresh();
    if (!this.writable) return;
    try {
      for (const mapping of this.#windows.values()) mmapAddon().sync(mapping, 0, mapping.byteLength);
    } catch (error) {
      throw new IOError(`cannot flush the map of ${describe(this.path)}: ${(error as Error).message}`, {
        code: (error as { code?: string }).code ?? 'EIO',
        cause: error,
      });
    }
  }

  close(): void {
    try {
      if (!this.#stale()) this.flush();
    } finally {
      // Buffers handed out keep their mappings; the file's own references go.
      this.#windows.clear();
      dropped.unregister(this);
      closeSync(this.fd);
    }
  }

  /** The core's `truncate`: in call order, and it drops the read-ahead the core kept. */
  truncate(newSize: number): void {
    this.resize(newSize);
  }

  resize(newSize: number): void {
    // Written out first: once the file shrinks, pages past its new end cannot be synced.
    if (newSize < this.length) this.flush();
    try {
      ftruncateSync(this.fd, newSize);
    } catch (error) {
      throw fsError(error, this.path);
    }
    this.length = newSize;
    this.#windows.clear();
  }

  /**
   * @throws IOError code `ESTALE` once the file shrank under a mapping and an access touched
   * a page past its end: the addon mapped zeros there instead of letting SIGBUS kill the
   * process, so the bytes read are not the file's.
   */
  #checkFresh(): void {
    if (this.#stale()) {
      throw new IOError(`the file under the map of ${describe(this.path)} was truncated while mapped`, { code: 'ESTALE' });
    }
  }

  #stale(): boolean {
    for (const mapping of this.#windows.values()) if (mmapAddon().isStale(mapping)) return true;
    return false;
  }

  /** The mapping that holds `position` and the file offset it starts at. */
  #window(position: number): [ArrayBuffer, number] {
    const index = Math.floor(position / WINDOW);
    let mapping = this.#windows.get(index);
    const start = index * WINDOW;
    if (mapping === undefined) {
      const length = Math.min(this.length - start, 2 * WINDOW);
      try {
        mapping = mmapAddon().map(this.fd, start, length, this.writable);
      } catch (error) {
        throw new IOError(`cannot map ${describe(this.path)}: ${(error as Error).message}`, {
          code: (error as { code?: string }).code ?? 'EIO',
          cause: error,
        });
      }
      this.#windows.set(index, mapping);
    }
    return [mapping, start];
  }
}

/** Opens `path` and describes it as a {@link Mapping}; the descriptor is closed if that fails. */
function openMapping(path: unknown, flags: string | number, writable: boolean, prepare?: (fd: number) => void): Mapping {
  if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${describe(path)}`);
  if (path.includes('\0')) throw new TypeError(`path must not contain NUL bytes, got ${describe(path)}`);
  mmapAddon();
  let fd: number;
  try {
    fd = openSync(path, flags, 0o666);
  } catch (error) {
    throw fsError(error, path);
  }
  try {
    const stats = fstatSync(fd);
    // Opening a directory for reading succeeds; as in Arrow, it is refused here, not at the first read.
    if (stats.isDirectory()) throw new IOError(`cannot map ${JSON.stringify(path)}: it is a directory`, { code: 'EISDIR' });
    prepare?.(fd);
    const mapping = new Mapping(path, fd, writable, prepare === undefined ? stats.size : fstatSync(fd).size);
    dropped.register(mapping, fd, mapping);
    return mapping;
  } catch (error) {
    closeSync(fd);
    throw error instanceof IOError ? error : fsError(error, path);
  }
}

/**
 * A file mapped into memory with mmap(2) through the native addon (Arrow's
 * `MemoryMappedFile`). `readBuffer` is zero-copy into the mapping, and buffers stay valid
 * after `close()`: a mapping lives until the last buffer over it is collected. Writes go
 * into the mapping (shared with every other map of the file) and cannot pass the end:
 * `resize()` first. Seeking past the end throws. Synchronous: memory is its backend.
 */
export class MemoryMappedFile extends fileClass<SyncReadWriteFile>() {
  /** The path of the mapped file. */
  readonly path: string;

  private constructor(mapping: Mapping, mode: FileMode) {
    super(mapping, {
      kind: 'MemoryMappedFile',
      mode,
      seekable: true,
      sync: true,
      seekPastEnd: false,
      knownSize: () => mapping.length,
    });
    this.path = mapping.path;
  }

  /**
   * Maps a file: `'r'` reads an existing one; `'r+'` reads and writes, and `'w'` writes, a file
   * they create empty if it is missing (never truncating one that exists).
   */
  static open(path: string, mode: FileModeInput = 'rb'): MemoryMappedFile {
    const canonical = parseFileMode(mode, ['rb', 'wb', 'rb+']);
    return new MemoryMappedFile(openMapping(path, FLAGS[canonical], canonical !== 'rb'), canonical);
  }

  /** Creates (or truncates) a file of `size` bytes and maps it for reading and writing. */
  static create(path: string, size: number): MemoryMappedFile {
    // Checked before the file is touched: a bad size must not truncate an existing file.
    checkSize(size, 'size');
    const createOrOpen = constants.O_RDWR | constants.O_CREAT;
    return new MemoryMappedFile(
      openMapping(path, createOrOpen, true, (fd) => {
        // Resized to `size` first: a size the file system refuses (EFBIG) fails with the file intact.
        ftruncateSync(fd, size);
        ftruncateSync(fd, 0);
        ftruncateSync(fd, size);
      }),
      'rb+',
    );
  }

  /** Changes the file's size to `newSize` bytes and remaps it; the position stays, moved back to the new end if past it. */
  resize(newSize: number): void {
    checkSize(newSize, 'newSize');
    if (!this.writable())
      throw new IOError(`cannot resize ${describe(this.path)}: the map is read-only`, { code: 'EUNSUPPORTED' });
    // Through the core: it orders the change with pending calls and forgets bytes read ahead.
    NativeFile.prototype.truncateSync.call(this as unknown as NativeFile, newSize);
    // A map cannot be positioned past its end (Arrow's `ResizeMap` moves the position back too).
    if (this.tell() > newSize) this.seek(newSize);
  }
}

/**
 * Maps the file at `path` (PyArrow `memory_map`): `'r'` an existing file for reading; `'r+'`
 * (reading and writing) and `'w'` (writing) create it empty if it is missing.
 */
export function memoryMap(path: string, mode: FileModeInput = 'rb'): MemoryMappedFile {
  return MemoryMappedFile.open(path, mode);
}

/** Creates a file of `size` bytes and maps it for reading and writing (PyArrow `create_memory_map`). */
export function createMemoryMap(path: string, size: number): MemoryMappedFile {
  return MemoryMappedFile.create(path, size);
}
