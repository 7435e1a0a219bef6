/**
 * An OPFS file open on a `FileSystemSyncAccessHandle` (workers only), with the mode's rules,
 * cross-tab locking and crash-safe replacement applied. Both OPFS backends end here: the
 * local one calls it directly, the remote one through the IO worker.
 * @module
 */
import { IOError, UnsupportedOperationError } from '../errors.js';
import type { FileMode } from '../util/file-mode.js';
import { NO_SYNC_ACCESS, type AccessOptions } from './access-options.js';
import { busy, releaseAll, type Release } from './locks.js';
import { openOpfs, removeLeftover, removeSibling } from './open-protocol.js';
import { splitOpfsPath, type OpfsLocation } from './paths.js';
import { estimateQuota, isQuotaFailure, NO_SPACE_COUNT, quotaError } from './quota.js';
import { moveIntoPlace } from './replace.js';
import { ReservingHandle, type SyncHandle } from './reserving-handle.js';
import { sharedReader } from './shared-readers.js';
import { opfsRoot } from '../platform/opfs-root.js';

type SyncCapableHandle = FileSystemFileHandle & {
  createSyncAccessHandle(options?: { mode?: 'read-only' | 'readwrite' }): Promise<SyncHandle>;
};

/** Whether handles can be opened read-only, so that readers coexist (Chromium 121+). */
const readOnlyHandles = (): boolean =>
  'mode' in ((globalThis as { FileSystemSyncAccessHandle?: { prototype: object } }).FileSystemSyncAccessHandle?.prototype ?? {});

/** Replacements still finishing after a synchronous close, by path: the next open waits for them. */
const replacing = new Map<string, Promise<void>>();

/** An open OPFS file. Only workers can create one. */
export class SyncAccess {
  /** Set once a write failed: an atomic file is then discarded instead of moved into place. */
  #failed: unknown;
  /** The file's size: this handle is its only writer. A failed write cuts the file back to it. */
  #size: number;

  private constructor(
    readonly path: string,
    private readonly handle: SyncHandle,
    private readonly location: OpfsLocation,
    /** The temporary sibling being written, for an atomic `'wb'`. */
    private readonly temporary: SyncCapableHandle | undefined,
    private readonly releases: Release[],
  ) {
    this.#size = handle.getSize();
  }

  /**
   * Opens `path`, creating its directories for modes that write, and the file (an atomic
   * `'wb'` creates it by the move on close).
   */
  static async open(path: string, mode: FileMode, options: AccessOptions): Promise<SyncAccess> {
    const key = splitOpfsPath(path).join('/');
    if (!(await syncAccessWorks())) throw noSyncAccess(path);
    await replacing.get(key);
    // A write that does not fit names the quota, and a synchronous one cannot wait for it:
    // estimated now, alongside the open's own steps.
    const estimated = mode === 'rb' ? undefined : estimateQuota();
    // Without read-only handles (Firefox; Chromium before 121), a second handle on the file
    // fails: a reader takes the path alone, and readers here share its handle.
    if (mode === 'rb' && !readOnlyHandles()) {
      const { handle, location, released } = await sharedReader(
        key,
        () =>
          openOpfs(path, mode, options, 'exclusive', removeLeftover, undefined, async (location, file, releases) => ({
            handle: await createHandle(file as SyncCapableHandle, path, true),
            location,
            releases,
          })),
        options.signal,
      );
      return new SyncAccess(path, handle, location, undefined, [released]);
    }
    return openOpfs(
      path,
      mode,
      options,
      'shared',
      removeLeftover,
      undefined, // no check to write: syncAccessWorks() said handles work
      async (location, file, releases, atomicSibling, replaced) => {
        const handle = await createHandle(file as SyncCapableHandle, path, mode === 'rb');
        // An atomic sibling is sized on its first write for the file it replaces, unless told
        // better (`expect`).
        const written = atomicSibling ? new ReservingHandle(handle, await sizeOf(replaced)) : handle;
        if (mode === 'wb') written.truncate(0);
        await estimated;
        return new SyncAccess(path, written, location, atomicSibling ? (file as SyncCapableHandle) : undefined, releases);
      },
    );
  }

  read(position: number, into: Uint8Array): number {
    return this.handle.read(into, { at: position });
  }

  /**
   * Writes all of `bytes` at `position`, or throws having changed no byte past the old end:
   * what a failed write added is cut off again, so the file holds what earlier writes put
   * there and nothing torn after it.
   * @throws OutOfMemoryError `ENOSPC` when the quota is full, however the engine says so (quota.ts).
   */
  write(position: number, bytes: Uint8Array): void {
    let written = 0;
    let failure: { cause?: unknown; count?: number } | undefined;
    try {
      while (written < bytes.byteLength && failure === undefined) {
        const count = this.handle.write(bytes.subarray(written), { at: position + written });
        // Firefox reports a full quota by writing nothing, Chromium's in-memory storage
        // (incognito) by an error code posing as a count: larger than what was given.
        if (count > 0 && count <= bytes.byteLength - written) written += count;
        else failure = { count };
      }
    } catch (cause) {
      failure = { cause };
    }
    if (failure === undefined) {
      this.#size = Math.max(this.#size, position + bytes.byteLength);
      return;
    }
    const { cause, count } = failure;
    const kept = this.#cutBack();
    const what = `writing ${bytes.byteLength} bytes at offset ${position} of ${this.path}`;
    let error: unknown;
    if (isQuotaFailure(cause) || count === 0 || count === NO_SPACE_COUNT) {
      error = quotaError({ what, needed: bytes.byteLength, outcome: `the file keeps its ${kept} bytes` }, cause ?? count);
    } else if (count !== undefined) {
      error = new IOError(`OPFS answered ${count} bytes written ${what}, an impossible count`, { code: 'EIO' });
    } else {
      error = cause;
    }
    this.#failed = error;
    throw error;
  }

  size(): number {
    return this.handle.getSize();
  }

  /** Tells an atomic `'wb'` how big the file will be (an upload of a Blob knows), so it is sized once. */
  expect(size: number): void {
    if (this.handle instanceof ReservingHandle) this.handle.expect(size);
  }

  /**
   * Sets the size to `size`.
   * @throws OutOfMemoryError `ENOSPC` when growing does not fit (Chromium's in-memory storage
   * then keeps the old size without a word: the size is checked).
   */
  truncate(size: number): void {
    let cause: unknown;
    try {
      this.handle.truncate(size);
    } catch (error) {
      if (!isQuotaFailure(error)) throw error;
      cause = error;
    }
    const now = this.handle.getSize();
    if (cause === undefined && now === size) {
      this.#size = size;
      return;
    }
    const what = `setting the size of ${this.path} from ${this.#size} to ${size} bytes`;
    throw quotaError({ what, needed: Math.max(0, size - this.#size), outcome: `its size stays ${now}` }, cause ?? now);
  }

  /** After a failed write: cuts off what it added past the old end. Returns the size now. */
  #cutBack(): number {
    try {
      if (this.handle.getSize() > this.#size) this.handle.truncate(this.#size);
      return this.handle.getSize();
    } catch {
      return this.#size;
    }
  }

  flush(): void {
    this.handle.flush();
  }

  /**
   * Closes the handle; an atomic `'wb'` file then replaces the old one, once readers of the
   * old file in other tabs have closed it (they hold its lock). After a failed write, the
   * partial file is removed and the old one kept: this rejects with the failure.
   */
  async close(): Promise<void> {
    try {
      this.handle.flush();
    } catch (cause) {
      this.#failed ??= cause;
    }
    try {
      this.handle.close();
      if (this.temporary === undefined) return;
      await moveIntoPlace(this.path, this.temporary, this.location, this.#failed, () => removeSibling(this.location));
    } finally {
      await releaseAll(this.releases);
    }
  }

  /**
   * Closes the handle now and finishes an atomic replacement in the background (for
   * `closeSync`, which cannot wait): a later open of the path in this thread waits for it, and
   * a failure is reported as an uncaught error.
   */
  closeNow(): void {
    const key = splitOpfsPath(this.path).join('/');
    const done = this.close()
      .catch((error: unknown) => reportError(error))
      .finally(() => {
        if (replacing.get(key) === done) replacing.delete(key);
      });
    if (this.temporary !== undefined) replacing.set(key, done);
  }

  /** Closes without replacing anything: what an atomic `'wb'` wrote is removed. */
  async abort(): Promise<void> {
    try {
      this.handle.close();
      if (this.temporary !== undefined) await removeSibling(this.location);
    } finally {
      await releaseAll(this.releases);
    }
  }
}

/** The size of the file `handle` names, 0 without one (or when it cannot be read now: it is only a hint). */
const sizeOf = async (handle: FileSystemFileHandle | undefined): Promise<number> =>
  handle === undefined
    ? 0
    : handle.getFile().then(
        ({ size }) => size,
        () => 0,
      );

/** A sync access handle on `file`; one held elsewhere is an `EBUSY` error naming `path`. */
async function createHandle(file: SyncCapableHandle, path: string, readOnly: boolean): Promise<SyncHandle> {
  try {
    return await file.createSyncAccessHandle(readOnly && readOnlyHandles() ? { mode: 'read-only' } : undefined);
  } catch (cause) {
    if ((cause as DOMException).name === 'NoModificationAllowedError') throw busy(path, cause);
    if ((cause as DOMException).name === 'NotSupportedError') throw noSyncAccess(path, cause);
    throw cause;
  }
}

/** The error for a runtime whose sync access handles do not work: the caller may use the async API instead. */
const noSyncAccess = (path: string, cause?: unknown): UnsupportedOperationError =>
  new UnsupportedOperationError(`this browser has no working OPFS sync access handles (opening ${path})`, {
    code: NO_SYNC_ACCESS,
    cause,
  });

let probe: Promise<boolean> | undefined;

/**
 * Whether sync access handles work here, tried once on a scratch file. WebKitGTK has the
 * method but throws `NotSupportedError`, and a file it failed on then refuses
 * `createWritable()` too (`InvalidStateError`): so the user's file is never the one tried.
 */
function syncAccessWorks(): Promise<boolean> {
  probe ??= (async () => {
    const root = await opfsRoot();
    const name = `.nativefile-probe-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    try {
      const handle = (await root.getFileHandle(name, { create: true })) as SyncCapableHandle;
      (await handle.createSyncAccessHandle()).close();
      return true;
    } catch (cause) {
      // Anything else (a full quota, say) is for the real open to report.
      return (cause as DOMException).name !== 'NotSupportedError';
    } finally {
      await root.removeEntry(name).catch(() => {});
    }
  })();
  return probe;
}
