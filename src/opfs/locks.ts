/**
 * Web Locks keyed by OPFS path, so openers in every tab and worker of the origin see each
 * other: readers share a path's lock, writers hold it alone. A sync access handle locks the
 * file too, but a second opener then only gets an error; the Web Lock lets it wait.
 * @module
 */
import { IOError } from '../errors.js';
import { describe } from '../util/validate.js';

/**
 * Gives a held lock back. Resolves once every tab and worker can take it: the browser's lock
 * manager hears each context on its own channel, so a release merely sent could still be
 * unseen when another context, told of the close, asks for the lock.
 */
export type Release = () => Promise<void>;

/** Gives every lock of `releases` back; resolves once other contexts can take them all. */
export const releaseAll = async (releases: readonly Release[]): Promise<void> => {
  await Promise.all(releases.map((release) => release()));
};

/** The lock readers share and writers hold alone. */
export const pathLock = (path: string): string => `nativefile:opfs:${path}`;
/** The lock every writer of `path` holds alone (an atomic `'wb'` writes a sibling, not the file). */
export const writeLock = (path: string): string => `nativefile:opfs-write:${path}`;

/** How many times each lock is held in this context (this tab's IO worker, this worker). */
const heldHere = new Map<string, number>();

/** Whether this context holds the lock `name` (a reader of the path here, say). */
export const holdsHere = (name: string): boolean => heldHere.has(name);

/**
 * Takes the lock `name`. Without `wait`, a lock held elsewhere is an `EBUSY` {@link IOError}
 * naming `path` at once; with it, this waits (until `signal` aborts). Where the runtime has no
 * Web Locks, nothing is locked and the sync access handle alone keeps files consistent.
 */
export async function acquire(name: string, mode: LockMode, path: string, wait: boolean, signal?: AbortSignal): Promise<Release> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks === undefined) return () => Promise.resolve();
  signal?.throwIfAborted();
  let letGo = (): void => {};
  const held = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  let request: Promise<unknown> = held;
  const granted = await new Promise<boolean>((resolve, reject) => {
    // The lock is held for as long as the callback's promise is pending.
    const options: LockOptions = wait ? { mode, ...(signal ? { signal } : {}) } : { mode, ifAvailable: true };
    request = locks.request(name, options, (lock) => {
      resolve(lock !== null);
      return lock === null ? undefined : held;
    });
    request.catch(reject);
  });
  if (!granted) throw busy(path);
  heldHere.set(name, (heldHere.get(name) ?? 0) + 1);
  let gone: Promise<void> | undefined;
  return () => {
    if (gone !== undefined) return gone;
    const count = heldHere.get(name)! - 1;
    if (count === 0) heldHere.delete(name);
    else heldHere.set(name, count);
    letGo();
    // The request settles once the release is sent; a query sent after it on this context's
    // channel is answered after the manager took the lock back. Neither can fail here.
    gone = request
      .then(() => locks.query())
      .then(
        () => {},
        () => {},
      );
    return gone;
  };
}

/** The error for a file another tab or worker holds. */
export function busy(path: string, cause?: unknown): IOError {
  return new IOError(
    `${describe(path)} is open in another tab or worker (OPFS allows one writer, or readers only): ` +
      'close it there first, or open with { wait: true } to wait for it',
    { code: 'EBUSY', cause },
  );
}
