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
 * Moves `sibling` over the file `path` names at `location`. If a write failed (`failed`), or
 * the move does, `discard()` removes the sibling and the old file stays.
 * @throws IOError `EIO` after a failed write, `EBUSY` when another context holds the file.
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
  // A reader of the path in this very context would be waited for by the code that must close
  // it (`await using` closes a writer opened after its reader first): that wait never ends.
  if (holdsHere(lock)) {
    await discard();
    throw new IOError(
      `${path} was not replaced: a reader of it is open in this same tab or worker, which the replacement would wait for; ` +
        'close the reader first. The old file is kept',
      { code: 'EBUSY' },
    );
  }
  const release = await acquire(lock, 'exclusive', path, true);
  try {
    await sibling.move!(location.directory, location.name);
  } catch (cause) {
    await discard();
    if ((cause as DOMException).name === 'NoModificationAllowedError') throw busy(path, cause);
    throw cause;
  } finally {
    release();
  }
}
