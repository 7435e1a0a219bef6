/**
 * The backend of `MemoryMappedFile`: a mapped file's windows, size and descriptor, its
 * reads, writes and write-back, and the async face that writes back on the thread pool.
 * @module
 */
import { close, closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { IOError } from '../../errors.js';
import { allocateBuffer } from '../../memory/allocate-buffer.js';
import { Buffer } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { fsError } from '../fs-error.js';
import { mmapAddon } from '../mmap-addon.js';
import { MapLeases } from './memory-map-leases.js';

/**
 * V8 caps one ArrayBuffer at 4 GiB, so large files are mapped in windows: window k maps
 * [k·WINDOW, k·WINDOW + 2·WINDOW), so any read of up to WINDOW bytes lies in one mapping.
 */
const WINDOW = 1024 * 1024 * 1024;

/** Closes descriptors of maps that were dropped without `close()`. */
const dropped = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed; nothing left to release.
  }
});

/** Turns an error of the addon's `sync` or `syncAsync` into an IOError. */
function syncFailed(path: string, error: unknown): IOError {
  return new IOError(`cannot flush the map of ${describe(path)}: ${(error as Error).message}`, {
    code: (error as { code?: string }).code ?? 'EIO',
    cause: error,
  });
}

/** A mapped file's windows, size and descriptor: the backend of `MemoryMappedFile`. */
export class Mapping implements UnderlyingFile {
  readonly #windows = new Map<number, ArrayBuffer>();
  /** Zero-copy Buffers of a writable map, which a shrink must not cut (read-only maps never resize). */
  readonly #leases = new MapLeases();
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
      // The view keeps the mapping (its ArrayBuffer) alive after the file closes. A writable
      // map's Buffer also leases its bytes: resize() must not cut them while it lives.
      if (this.writable) return this.#leases.lend(mapping, position - start, length, position);
      return Buffer.wrap(new Uint8Array(mapping, position - start, length), { mutable: false });
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
      throw syncFailed(this.path, error);
    }
  }

  /**
   * {@link Mapping.flush} with msync on libuv's thread pool, one window after another. The
   * core runs no other call of this file meanwhile (sync calls throw EBUSY, async ones and
   * `close()` wait), and the addon holds each window until its msync returns, so no window
   * is dropped or unmapped under a running msync.
   */
  async flushInBackground(): Promise<void> {
    this.#checkFresh();
    if (!this.writable) return;
    for (const mapping of [...this.#windows.values()]) {
      try {
        await mmapAddon().syncAsync(mapping, 0, mapping.byteLength);
      } catch (error) {
        throw syncFailed(this.path, error);
      }
    }
  }

  close(): void {
    try {
      if (!this.#stale()) this.flush();
    } finally {
      this.#release();
      closeSync(this.fd);
    }
  }

  /** {@link Mapping.close} without blocking the event loop: msync and close(2) on the thread pool. */
  async closeInBackground(): Promise<void> {
    try {
      if (!this.#stale()) await this.flushInBackground();
    } finally {
      this.#release();
      await new Promise<void>((resolve, reject) =>
        close(this.fd, (error) => (error ? reject(fsError(error, this.path)) : resolve())),
      );
    }
  }

  /** Drops the file's own references to its windows; Buffers handed out keep their mappings. */
  #release(): void {
    this.#windows.clear();
    dropped.unregister(this);
  }

  /** The core's `truncate`: in call order, and it drops the read-ahead the core kept. */
  truncate(newSize: number): void {
    this.resize(newSize);
  }

  /**
   * Refuses to cut bytes a live zero-copy Buffer views. Keeping its old mapping alive would not
   * keep them: truncating a file drops its pages past the new end from every mapping, shared
   * or private (measured on Linux 6.18): the tail of the last page reads zeros, a page wholly
   * past the end faults (SIGBUS, which the addon turns into zeros and ESTALE), and once the
   * file grows back the old mapping reads the new zeros with no fault, silently.
   */
  resize(newSize: number): void {
    if (newSize < this.length) this.#leases.checkCut(newSize, this.path);
    // Written back before the windows are dropped, whichever way the size goes: flush() syncs
    // only the windows the map has, so nothing would ever write these back; and once the file
    // shrinks, pages past its new end cannot be synced. A stale window cannot be (its pages
    // past the end are gone; the access that met them threw ESTALE): it is dropped for a
    // fresh one, as close() drops it.
    if (!this.#stale()) this.flush();
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

/**
 * The map's face for the async methods (as OSFile has one): the same reads and writes, which
 * are memory copies, but write-back on libuv's thread pool, so that `flush()` and `close()`
 * never block the event loop for msync (66 ms for 128 MiB written, measured here).
 */
export function asyncFace(mapping: Mapping): UnderlyingFile {
  return {
    sharedMemory: true,
    size: () => mapping.size(),
    readAt: (position, into) => mapping.readAt(position, into),
    sliceAt: (position, length) => mapping.sliceAt(position, length),
    fits: (position, length) => mapping.fits(position, length),
    writeAt: (position, bytes) => mapping.writeAt(position, bytes),
    flush: () => mapping.flushInBackground(),
    close: () => mapping.closeInBackground(),
  };
}

/** Opens `path` and describes it as a {@link Mapping}; the descriptor is closed if that fails. */
export function openMapping(path: unknown, flags: string | number, writable: boolean, prepare?: (fd: number) => void): Mapping {
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
