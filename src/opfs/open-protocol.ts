/**
 * How an OPFS file is opened, written once for both access layers (sync access handles,
 * `sync-access.ts`; the asynchronous API, `async-access.ts`), so that openers of either kind
 * on one origin exclude each other: which Web Locks each mode takes and in what order, the
 * temporary sibling an atomic `'wb'` writes, what a crashed writer left behind, the locks
 * given back and a full quota named when the open fails. Each layer passes what differs for
 * it and makes its own handle ({@link MakeHandle}).
 *
 * Plain parameters rather than an options object: property names survive minification, and
 * this is in the page's bundle and the IO worker's (`.size-limit.mjs`).
 * @module
 */
import type { FileMode } from '../util/file-mode.js';
import { temporaryName, type AccessOptions } from './access-options.js';
import { acquire, pathLock, releaseAll, writeLock, type Release } from './locks.js';
import { checkFileOrNothing, opfsFileHandle, opfsLocation, splitOpfsPath, type OpfsLocation } from './paths.js';
import { estimateQuota, isQuotaFailure, quotaError } from './quota.js';
import { canMove } from './replace.js';

/**
 * Makes an access layer's handle from what the open found and holds; if it throws, the locks
 * are given back and a full quota is named, as for the open's own steps.
 * @param location - Where the file lives.
 * @param file - The file to read or write: the file itself, or the temporary sibling of an
 * atomic `'wb'`.
 * @param releases - The locks held: the handle gives them back when it closes.
 * @param atomicSibling - Whether `file` is the temporary sibling of an atomic `'wb'`, moved
 * over the file on close.
 * @param replaced - For an atomic `'wb'`: the file it replaces, `undefined` for a new path.
 */
export type MakeHandle<T> = (
  location: OpfsLocation,
  file: FileSystemFileHandle,
  releases: Release[],
  atomicSibling: boolean,
  replaced?: FileSystemFileHandle,
) => Promise<T>;

/**
 * Opens `path` in `mode` and makes the handle `make` makes: creates its directories for modes
 * that write, and the file (an atomic `'wb'` creates it by the move on close). Readers take
 * the path's lock (`readerLock`); writers take the write lock alone, then the path's lock alone
 * too, unless they write a sibling (atomic `'wb'`), which takes it only for the move on close.
 * @param readerLock - How readers take the path's lock: `'shared'` where readers can coexist.
 * @param readersClean - What readers do about what a crashed atomic `'wb'` left beside the
 * file: {@link removeLeftover}, or nothing (`undefined`: writers always remove it). A layer that
 * does not pass it does not bundle it.
 * @param checkWrite - Throws when the layer cannot write here; called before a writer takes any
 * lock.
 * @throws OutOfMemoryError `ENOSPC` when the quota is full; other failures unchanged, with
 * every lock taken given back.
 */
export async function openOpfs<T>(
  path: string,
  mode: FileMode,
  options: AccessOptions,
  readerLock: LockMode,
  readersClean: typeof removeLeftover | undefined,
  checkWrite: (() => void) | undefined,
  make: MakeHandle<T>,
): Promise<T> {
  const key = splitOpfsPath(path).join('/');
  const writes = mode !== 'rb';
  const { wait, signal } = options;
  const releases: Release[] = [];
  /** Where an atomic `'wb'` creates its sibling, until its handle is made. */
  let created: OpfsLocation | undefined;
  try {
    const location = await opfsLocation(key, writes);
    const target = () => opfsFileHandle(location, writes, path);
    // Each `make` is awaited inside the try: a handle that cannot be made gives the locks back.
    if (!writes) {
      releases.push(await acquire(pathLock(key), readerLock, path, wait, signal));
      // A writer that crashed leaves its partial sibling, beside the old file or (a new path)
      // alone: removed either way, once the file was looked up.
      const file = readersClean ? target().finally(() => readersClean(location, key)) : target();
      return await make(location, await file, releases, false);
    }
    checkWrite?.();
    releases.push(await acquire(writeLock(key), 'exclusive', path, wait, signal));
    // A crash mid-replace left a partial sibling; only a writer, holding writeLock, removes it.
    await removeSibling(location);
    // The sibling is moved over the file on close, so readers in other contexts keep the old
    // file until then (even on sync access handles, which a writable on the file itself
    // would conflict with in Chromium).
    if (mode === 'wb' && options.atomic && canMove()) {
      const replaced = await checkFileOrNothing(location, path);
      created = location;
      const sibling = await location.directory.getFileHandle(temporaryName(location.name), { create: true });
      return await make(location, sibling, releases, true, replaced);
    }
    releases.push(await acquire(pathLock(key), 'exclusive', path, wait, signal));
    return await make(location, await target(), releases, false);
  } catch (cause) {
    // A sibling whose handle could not be made is nobody's: removed while the write lock holds.
    if (created) await removeSibling(created);
    await releaseAll(releases);
    if (!isQuotaFailure(cause)) throw cause;
    throw quotaError({ what: `opening ${path} in mode '${mode}'`, needed: 0 }, cause, await estimateQuota());
  }
}

/**
 * Removes what a crashed atomic write left, unless a writer is at work on it right now: for
 * readers (`readersClean` of {@link openOpfs}), which hold no write lock.
 */
export async function removeLeftover(location: OpfsLocation, key: string): Promise<void> {
  // Looked for first: taking the write lock, even briefly, turns away a writer opening now.
  const found = await location.directory.getFileHandle(temporaryName(location.name)).then(
    () => true,
    () => false,
  );
  if (!found) return;
  const release = await acquire(writeLock(key), 'exclusive', key, false).catch(() => undefined);
  // A writer holds it: its partial file is no leftover.
  if (release === undefined) return;
  await removeSibling(location);
  await release();
}

/**
 * Removes the temporary sibling of the file at `location`, if there is one: the partial file of
 * an atomic `'wb'` (once discarded, or left by a crash). Never rejects.
 */
export const removeSibling = (location: OpfsLocation): Promise<void> =>
  // Usually NotFoundError: nothing was there.
  location.directory.removeEntry(temporaryName(location.name)).catch(() => {});
