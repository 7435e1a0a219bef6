/**
 * The last step of an atomic `'wb'`, the same for both OPFS backends: the temporary sibling
 * that was written moves over the file, under the path's exclusive lock, so a reader sees the
 * old file or the new one, never a torn one.
 * @module
 */
import { IOError } from '../errors.js';
import { acquire, busy, holdsHere, pathLock } from './locks.js';
import { splitOpfsPath, type OpfsLocation } from './paths.js';

/** A file handle with `move()` (Chromium, Firefox; TypeScript's DOM library lacks it). */
export type MovableHandle = FileSystemFileHandle & { move?(directory: FileSystemDirectoryHandle, name: string): Promise<void> };

/** Whether file handles have `move()`, which atomic `'wb'` needs (else it writes in place). */
export const canMove = (): boolean =>
  typeof (globalThis as { FileSystemFileHandle?: { prototype: MovableHandle } }).FileSystemFileHandle?.prototype.move ===
  'function';

/**
 * How long a replacement waits for readers of the path in its own context: they are being
 * closed alongside (`Promise.all`), or never will be before this close ends (`await using`
 * closes a writer opened after its reader first), which a longer wait cannot tell apart.
 */
const SAME_CONTEXT_GRACE_MS = 1000;

/**
 * Moves `sibling` over the file `path` names at `location`. If a write failed (`failed`), or
 * the move does, `discard()` removes the sibling and the old file stays.
 * @throws IOError `EIO` after a failed write; `EBUSY` when the move finds the file held, or a
 * reader of it in this same context stays open past {@link SAME_CONTEXT_GRACE_MS} (readers in
 * other contexts are waited for).
 */
export async function moveIntoPlace(
  path: string,
  sibling: MovableHandle,
  location: OpfsLocation,
  failed: unknown,
  discard: () => Promise<void>,
): Promise<void> {
  if (failed !== undefined) {
    await discard();
    // The write's own code (ENOSPC for a full quota) says what to do about it.
    const code = failed instanceof IOError ? failed.code : 'EIO';
    const why = failed instanceof Error ? ` (${failed.message})` : '';
    throw new IOError(`${path} was not replaced: a write failed${why}, and the old file is kept`, { code, cause: failed });
  }
  const lock = pathLock(splitOpfsPath(path).join('/'));
  // A reader in this very context may be waited for by the code that must close it.
  const grace = holdsHere(lock) ? AbortSignal.timeout(SAME_CONTEXT_GRACE_MS) : undefined;
  const release = await acquire(lock, 'exclusive', path, true, grace).catch(async (cause: unknown) => {
    await discard();
    if (grace?.aborted !== true) throw cause;
    throw new IOError(
      `${path} was not replaced: a reader of it stays open in this same tab or worker, which the replacement waited ` +
        `for ${SAME_CONTEXT_GRACE_MS} ms; close the reader first. The old file is kept`,
      { code: 'EBUSY', cause },
    );
  });
  try {
    await sibling.move!(location.directory, location.name);
  } catch (cause) {
    await discard();
    if ((cause as DOMException).name === 'NoModificationAllowedError') throw busy(path, cause);
    throw cause;
  } finally {
    await release();
  }
}
