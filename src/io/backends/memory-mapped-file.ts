import { closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { IOError } from '../../errors.js';
import { Buffer } from '../../memory/buffer.js';
import { checkSize, describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../file-mode.js';
import { NativeFile } from '../native-file.js';
import { mmapAddon } from '../mmap-addon.js';
import { fsError } from '../fs-error.js';

/**
 * V8 caps one ArrayBuffer at 4 GiB, so large files are mapped in windows: window k maps
 * [k·WINDOW, k·WINDOW + 2·WINDOW), so any read of up to WINDOW bytes lies in one mapping.
 */
const WINDOW = 1024 * 1024 * 1024;

const FLAGS: Record<FileMode, string> = { rb: 'r', wb: 'r+', ab: 'r+', 'rb+': 'r+' };

/**
 * A file mapped into memory with mmap(2) through the native addon (Arrow's
 * `MemoryMappedFile`). `readBuffer` is zero-copy into the mapping, and buffers stay valid
 * after `close()`: a mapping lives until the last buffer over it is collected. Writes go
 * into the mapping (shared with every other map of the file) and cannot pass the end:
 * `resize()` first. Seeking past the end throws.
 */
export class MemoryMappedFile extends NativeFile {
  readonly mode: FileMode;
  readonly isSync = true;
  /** The path of the mapped file. */
  readonly path: string;
  readonly #fd: number;
  #size: number;
  readonly #windows = new Map<number, ArrayBuffer>();

  private constructor(path: string, mode: FileMode, fd: number) {
    super();
    this.path = path;
    this.mode = mode;
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  /** Maps an existing file: `'r'` reads, `'r+'` reads and writes, `'w'` writes (no truncation). */
  static open(path: string, mode: FileModeInput = 'rb'): MemoryMappedFile {
    mmapAddon();
    const canonical = parseFileMode(mode, ['rb', 'wb', 'rb+']);
    return new MemoryMappedFile(String(path), canonical, openFile(path, FLAGS[canonical]));
  }

  /** Creates (or truncates) a file of `size` bytes and maps it for reading and writing. */
  static create(path: string, size: number): MemoryMappedFile {
    mmapAddon();
    checkSize(size, 'size');
    const fd = openFile(path, 'w+');
    ftruncateSync(fd, size);
    return new MemoryMappedFile(String(path), 'rb+', fd);
  }

  /** Changes the file's size to `newSize` bytes and remaps it; the position stays. */
  resize(newSize: number): void {
    this.checkWritable(true);
    checkSize(newSize, 'newSize');
    ftruncateSync(this.#fd, newSize);
    this.#size = newSize;
    this.#windows.clear();
  }

  /** Zero-copy into the mapping; reads of a given length take a short path. */
  override readBufferSync(n?: number): Buffer {
    if (typeof n !== 'number' || !(n > 0 && n <= WINDOW) || n % 1 !== 0 || this.closed || this.mode === 'wb') {
      return super.readBufferSync(n);
    }
    const position = this.position;
    const length = Math.min(n, this.#size - position);
    if (length <= 0) return super.readBufferSync(n);
    const buffer = this.readBufferAtSyncImpl(position, length);
    this.position = position + length;
    return buffer;
  }

  protected isSeekable(): boolean {
    return true;
  }

  protected checkSeekTarget(position: number): void {
    if (position > this.#size) {
      throw new RangeError(`cannot seek to ${position}, past the end of a ${this.#size}-byte memory map`);
    }
  }

  protected sizeSyncImpl(): number {
    return this.#size;
  }

  protected readAtSyncImpl(position: number, into: Uint8Array): number {
    if (position >= this.#size) return 0;
    const [mapping, start] = this.#window(position);
    const count = Math.min(into.byteLength, this.#size - position, start + mapping.byteLength - position);
    into.set(new Uint8Array(mapping, position - start, count));
    return count;
  }

  protected readBufferAtSyncImpl(position: number, length: number): Buffer {
    if (length === 0) return Buffer.wrap(new Uint8Array(0), { mutable: this.writable() });
    const [mapping, start] = this.#window(position);
    if (position + length > start + mapping.byteLength) return super.readBufferAtSyncImpl(position, length);
    // The view keeps the mapping (its ArrayBuffer) alive after the file closes.
    return Buffer.wrap(new Uint8Array(mapping, position - start, length), { mutable: this.writable() });
  }

  protected writeSyncImpl(position: number, bytes: Uint8Array): void {
    if (position + bytes.byteLength > this.#size) {
      throw new IOError(
        `write of ${bytes.byteLength} bytes at offset ${position} passes the end of a ${this.#size}-byte memory map; resize() it first`,
        { code: 'ENOSPC' },
      );
    }
    for (let done = 0; done < bytes.byteLength;) {
      const [mapping, start] = this.#window(position + done);
      const count = Math.min(bytes.byteLength - done, start + mapping.byteLength - (position + done));
      new Uint8Array(mapping, position + done - start, count).set(bytes.subarray(done, done + count));
      done += count;
    }
  }

  protected flushSyncImpl(): void {
    if (this.mode === 'rb') return;
    for (const mapping of this.#windows.values()) mmapAddon().sync(mapping, 0, mapping.byteLength);
  }

  protected closeSyncImpl(): void {
    this.flushSyncImpl();
    // Buffers handed out keep their mappings; the file's own references go.
    this.#windows.clear();
    closeSync(this.#fd);
  }

  /** The mapping that holds `position` and the file offset it starts at. */
  #window(position: number): [ArrayBuffer, number] {
    const index = Math.floor(position / WINDOW);
    let mapping = this.#windows.get(index);
    const start = index * WINDOW;
    if (mapping === undefined) {
      const length = Math.min(this.#size - start, 2 * WINDOW);
      try {
        mapping = mmapAddon().map(this.#fd, start, length, this.mode !== 'rb');
      } catch (error) {
        throw new IOError(`cannot map ${describe(this.path)}: ${(error as Error).message}`, {
          code: (error as { code?: string }).code ?? 'EIO', cause: error,
        });
      }
      this.#windows.set(index, mapping);
    }
    return [mapping, start];
  }
}

function openFile(path: string, flags: string): number {
  if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${describe(path)}`);
  try {
    return openSync(path, flags, 0o666);
  } catch (error) {
    throw fsError(error, path);
  }
}

/** Maps the file at `path` (PyArrow `memory_map`): `'r'`, `'r+'` or `'w'`. */
export function memoryMap(path: string, mode: FileModeInput = 'rb'): MemoryMappedFile {
  return MemoryMappedFile.open(path, mode);
}

/** Creates a file of `size` bytes and maps it for reading and writing (PyArrow `create_memory_map`). */
export function createMemoryMap(path: string, size: number): MemoryMappedFile {
  return MemoryMappedFile.create(path, size);
}
