/**
 * An OPFS file open through the asynchronous API only — `getFile()` to read,
 * `createWritable()` to write — for every context that has no sync access handles: shared and
 * service workers, WebKit, pages that cannot start the IO worker. The mode's rules and the
 * Web Locks are the same as {@link SyncAccess}'s, so both backends on one origin exclude each
 * other as two sync ones do.
 *
 * A writable stream writes to a swap file that replaces the file only when it is closed, so
 * writes become visible on commit: on `close()`, on `flush()` (which closes the writable and
 * opens a new one lazily, copying the file into a new swap file: it costs the file's size),
 * and before a read that follows writes (`'rb+'`), which must see them.
 *
 * A write that fails (a full quota) errors the stream, and the browser discards its swap file
 * with every write since the last commit: the file keeps what was committed, and refuses
 * further writes (they would land after a hole) until it is opened again.
 * @module
 */
import { IOError, UnsupportedOperationError } from '../errors.js';
import type { FileMode } from '../util/file-mode.js';
import { busy, releaseAll, type Release } from './locks.js';
import { openOpfs, removeSibling } from './open-protocol.js';
import type { OpfsLocation } from './paths.js';
import { estimateQuota, isQuotaFailure, quotaError } from './quota.js';
import { moveIntoPlace, type MovableHandle } from './replace.js';
import { SnapshotReader } from './snapshot-reader.js';
import type { AccessOptions } from './access-options.js';

/** Whether this runtime can write OPFS files without sync access handles. */
export const canWriteAsync = (): boolean =>
  typeof FileSystemFileHandle !== 'undefined' && typeof FileSystemFileHandle.prototype.createWritable === 'function';

/** An open OPFS file on the asynchronous API. */
export class AsyncAccess {
  readonly #reader: SnapshotReader;
  #writable: FileSystemWritableFileStream | undefined;
  /** Whether the writable holds writes not yet committed. */
  #dirty = false;
  /** Bytes written since the last commit: what a failed stream takes with it. */
  #pending = 0;
  /** Where the writable's own cursor is: a write there needs no seek. */
  #cursor = 0;
  #size: number;
  /** Set once a write failed: an atomic file is then discarded instead of moved into place. */
  #failed: unknown;
  /** Set once a failed stream took uncommitted writes with it: later writes are refused. */
  #lost: unknown;

  private constructor(
    readonly path: string,
    /** The handle written: the file itself, or the temporary sibling of an atomic `'wb'`. */
    private readonly written: MovableHandle,
    private readonly location: OpfsLocation,
    private readonly atomicSibling: boolean,
    private readonly releases: Release[],
    size: number,
  ) {
    this.#reader = new SnapshotReader(written);
    this.#size = size;
  }

  /**
   * Opens `path`, creating its directories for modes that write, and the file (an atomic
   * `'wb'` creates it by the move on close).
   */
  static async open(path: string, mode: FileMode, options: AccessOptions): Promise<AsyncAccess> {
    const checkWrite = () => {
      if (canWriteAsync()) return;
      throw new UnsupportedOperationError(
        `this browser has neither sync access handles nor createWritable(): cannot open ${path} in mode '${mode}'`,
      );
    };
    const opening = openOpfs(
      path,
      mode,
      options,
      // Readers only read committed snapshots: they share the path with each other.
      'shared',
      undefined, // readers leave a crashed writer's sibling to the next writer
      checkWrite,
      async (location, file, releases, atomicSibling) => {
        // 'wb' (and its sibling, created empty) starts from an empty swap file, committed on
        // close (atomic even in place).
        const size = mode === 'wb' ? 0 : (await file.getFile()).size;
        const access = new AsyncAccess(path, file, location, atomicSibling, releases, size);
        if (mode === 'wb') await access.#open(false);
        return access;
      },
    );
    // The asynchronous API says a file is held elsewhere by a NoModificationAllowedError, at
    // any step: EBUSY, as the sync access handles' layer says it.
    return opening.catch((cause: unknown) => {
      throw busyOr(cause, path);
    });
  }

  /** The file's size, counting writes not yet committed (this is the only writer). */
  size(): number {
    return this.#size;
  }

  async read(position: number, into: Uint8Array): Promise<number> {
    // Writes are in the swap file, which cannot be read: commit them first.
    if (this.#dirty) await this.#commit();
    return this.#reader.read(position, into);
  }

  /** Up to `length` bytes at `position` as a view of the fetched bytes (no copy). */
  async slice(position: number, length: number): Promise<Uint8Array> {
    if (this.#dirty) await this.#commit();
    return this.#reader.slice(position, length);
  }

  async write(position: number, bytes: Uint8Array): Promise<void> {
    const wasDirty = this.#dirty;
    const writable = await this.#writer();
    // createWritable takes no shared memory (pool buffers in isolated pages), and WebKitGTK
    // writes a view's whole buffer, not just the view: copy those.
    const data =
      isShared(bytes) || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength ? bytes.slice() : bytes;
    try {
      this.#dirty = true;
      const chunk = data as Uint8Array<ArrayBuffer>;
      // A plain chunk at the cursor spares engines that seek before every positioned write.
      await writable.write(position === this.#cursor ? chunk : { type: 'write', position, data: chunk });
      this.#cursor = position + bytes.byteLength;
      this.#pending += bytes.byteLength;
    } catch (cause) {
      throw await this.#streamFailed(
        cause,
        wasDirty,
        `writing ${bytes.byteLength} bytes at offset ${position} of ${this.path}`,
        bytes.byteLength,
      );
    }
    this.#size = Math.max(this.#size, position + bytes.byteLength);
  }

  async truncate(size: number): Promise<void> {
    const wasDirty = this.#dirty;
    const writable = await this.#writer();
    this.#dirty = true;
    try {
      await writable.truncate(size);
    } catch (cause) {
      const what = `setting the size of ${this.path} from ${this.#size} to ${size} bytes`;
      throw await this.#streamFailed(cause, wasDirty, what, Math.max(0, size - this.#size));
    }
    // As the File System spec says: a truncate before the cursor moves it back to the end.
    this.#cursor = Math.min(this.#cursor, size);
    this.#size = size;
  }

  /**
   * Commits the writes, so a crash keeps them. An atomic `'wb'` has nothing to commit before
   * it replaces the file on close (a crash keeps the old file whatever was flushed).
   */
  async flush(): Promise<void> {
    if (this.#lost !== undefined) throw refusal(this.path, this.#lost);
    if (!this.atomicSibling && this.#dirty) await this.#commit();
  }

  /**
   * Commits what was written; an atomic `'wb'` file then replaces the old one, once readers
   * of the old file in other contexts have closed it (they hold its lock). After a failed
   * write, the partial file is removed and the old one kept: this rejects with the failure.
   */
  async close(): Promise<void> {
    try {
      try {
        if (this.#writable !== undefined) await this.#commit();
      } catch (cause) {
        this.#failed ??= cause;
        if (!this.atomicSibling) throw cause;
      }
      // Writes were acknowledged and then lost with a failed stream: closing must not look fine.
      if (this.#lost !== undefined && !this.atomicSibling) throw refusal(this.path, this.#lost);
      if (!this.atomicSibling) return;
      await moveIntoPlace(this.path, this.written, this.location, this.#failed, () => removeSibling(this.location));
    } finally {
      this.#reader.invalidate();
      await releaseAll(this.releases);
    }
  }

  /**
   * What a file dropped without `close()` gets: an atomic `'wb'`, which may be half-written, is
   * abandoned (the old file stays); any other is closed, keeping what was written.
   */
  drop(): Promise<void> {
    return this.atomicSibling ? this.abort() : this.close();
  }

  /** Closes discarding what was not committed: an atomic `'wb'` leaves the old file as it was. */
  async abort(): Promise<void> {
    try {
      await this.#writable?.abort().catch(() => {});
      this.#writable = undefined;
      if (this.atomicSibling) await removeSibling(this.location);
    } finally {
      await releaseAll(this.releases);
    }
  }

  /** The open writable, opened (keeping what was committed) after a commit closed the last one. */
  async #writer(): Promise<FileSystemWritableFileStream> {
    if (this.#lost !== undefined) throw refusal(this.path, this.#lost);
    return this.#writable ?? (await this.#open(true));
  }

  async #open(keepExistingData: boolean): Promise<FileSystemWritableFileStream> {
    try {
      this.#writable = await this.written.createWritable({ keepExistingData });
      this.#cursor = 0;
    } catch (cause) {
      throw busyOr(cause, this.path);
    }
    // Without keeping data the swap file starts empty: the file is empty once committed.
    if (!keepExistingData) this.#dirty = true;
    return this.#writable;
  }

  async #commit(): Promise<void> {
    const writable = this.#writable;
    this.#writable = undefined;
    this.#dirty = false;
    this.#reader.invalidate();
    try {
      await writable?.close();
    } catch (cause) {
      throw await this.#streamFailed(cause, true, `committing the writes to ${this.path}`, 0);
    }
    this.#pending = 0;
  }

  /**
   * A write, truncate or commit failed: the stream is errored, and the browser discarded
   * what it held. Returns the error to throw; later writes are refused if writes were lost
   * (`wasDirty`: there were uncommitted ones) or the file is an atomic sibling.
   */
  async #streamFailed(cause: unknown, wasDirty: boolean, what: string, needed: number): Promise<unknown> {
    const lost = this.#pending;
    this.#writable = undefined;
    this.#dirty = false;
    this.#pending = 0;
    this.#reader.invalidate();
    this.#size = await this.#reader.size().catch(() => this.#size);
    let outcome = `${this.path} keeps its ${this.#size} bytes`;
    if (this.atomicSibling) outcome = `${this.path} will be kept as it was`;
    else if (wasDirty) outcome = `the ${lost} bytes written since the last flush were discarded with the stream; ${outcome}`;
    let error = busyOr(cause, this.path);
    if (isQuotaFailure(cause)) error = quotaError({ what, needed, outcome }, cause, await estimateQuota());
    // WebKitGTK reports a full disk as an UnknownError: what was lost must still be said.
    else if (!(error instanceof IOError))
      error = new IOError(`${what} failed (${(cause as Error)?.name}: ${(cause as Error)?.message}); ${outcome}`, {
        code: 'EIO',
        cause,
      });
    this.#failed = error;
    if (wasDirty || this.atomicSibling) this.#lost = error;
    return error;
  }
}

const isShared = (bytes: Uint8Array): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;

/** A file held elsewhere as `EBUSY`; anything else unchanged. */
const busyOr = (cause: unknown, path: string): unknown =>
  (cause as DOMException | undefined)?.name === 'NoModificationAllowedError' ? busy(path, cause) : cause;

/** The error of a write to a file whose stream failed (with `lost`) and took writes with it. */
const refusal = (path: string, lost: unknown): IOError =>
  new IOError(
    `${path} lost the writes since its last flush when a write failed (${(lost as Error).message}); open it again to write`,
    { code: lost instanceof IOError ? lost.code : 'EIO', cause: lost },
  );
