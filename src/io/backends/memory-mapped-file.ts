import { constants, ftruncateSync } from 'node:fs';
import { IOError } from '../../errors.js';
import { checkSize, describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../../util/file-mode.js';
import { fileClass } from '../core/file-class.js';
import { NativeFile } from '../core/native-file.js';
import type { SyncReadWriteFile } from '../core/interfaces.js';
import { asyncFace, openMapping, type Mapping } from './memory-mapping.js';

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

/**
 * A file mapped into memory with mmap(2) through the native addon (Arrow's
 * `MemoryMappedFile`). `readBuffer` is zero-copy into the mapping, and buffers stay valid
 * after `close()`: a mapping lives until the last buffer over it is collected. Writes go
 * into the mapping (shared with every other map of the file) and cannot pass the end:
 * `resize()` first. Seeking past the end throws. Synchronous: memory is its backend. The
 * `*Sync` methods write back (msync) on the calling thread; `flush()` and `close()` on
 * libuv's thread pool, without blocking the event loop.
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
      async: asyncFace(mapping),
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

  /**
   * Changes the file's size to `newSize` bytes and remaps it, having written the map back;
   * the position stays, moved back to the new end if past it.
   *
   * A shrink that would cut bytes a zero-copy Buffer from `readBuffer` still views is
   * refused, as Arrow refuses to resize a map with active readers: the cut bytes would change
   * under the Buffer (zeros) or fault. Release the Buffer and its slices first (`release()` or
   * `using`); one dropped without release counts until the garbage collector takes it.
   * Growing, and shrinking past no live Buffer, are always allowed.
   * @throws IOError code `EBUSY` when a live Buffer views bytes past `newSize`.
   */
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
