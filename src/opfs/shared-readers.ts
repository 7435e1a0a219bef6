/**
 * Readers of one path in this context sharing one sync access handle, where handles cannot
 * be opened read-only (Firefox): there a second handle on a file fails, and a reader takes
 * the path's lock alone, so a second reader of a file in the same page or worker was turned
 * away (`EBUSY`) though nothing wrote it. The handle and its locks go with the last reader.
 * @module
 */
import { untilAborted } from '../util/until-aborted.js';
import { releaseAll, type Release } from './locks.js';
import type { OpfsLocation } from './paths.js';
import type { SyncHandle } from './reserving-handle.js';

/** A handle readers share, its locks, and how many readers have it open. */
interface Shared {
  readonly handle: SyncHandle;
  readonly location: OpfsLocation;
  readonly releases: Release[];
  readers: number;
}

/** What opens the first reader's handle here: the handle, where it is, and its locks. */
export type OpenReader = () => Promise<{ handle: SyncHandle; location: OpfsLocation; releases: Release[] }>;

/** The readers' handle of each path here, once opened or being opened. */
const byPath = new Map<string, Promise<Shared>>();

/**
 * A reader of `key`: a share of the handle readers have open here, or of a new one `open`
 * makes. Each share's `close` counts down; the last closes the handle and releases its locks,
 * which that share's `released` waits for (a share closed before the last has nothing to wait
 * for). Waiting for another reader's open here ends when `signal` aborts.
 */
export async function sharedReader(
  key: string,
  open: OpenReader,
  signal?: AbortSignal,
): Promise<{ handle: SyncHandle; location: OpfsLocation; released: Release }> {
  for (let entry = byPath.get(key); entry !== undefined; entry = byPath.get(key)) {
    const shared = await untilAborted(entry, signal).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      return undefined;
    });
    if (shared !== undefined && shared.readers > 0) {
      shared.readers += 1;
      return { ...share(key, entry, shared), location: shared.location };
    }
    // That open failed: its opener removed it, or will; open anew below.
    if (byPath.get(key) === entry) byPath.delete(key);
  }
  const entry = open().then(({ handle, location, releases }): Shared => ({ handle, location, releases, readers: 1 }));
  byPath.set(key, entry);
  try {
    const shared = await entry;
    return { ...share(key, entry, shared), location: shared.location };
  } catch (error) {
    if (byPath.get(key) === entry) byPath.delete(key);
    throw error;
  }
}

/**
 * One reader's view of `shared`: reads go through, `close` counts down (once); `released`
 * resolves once the locks this close gave back (if any) are free for other contexts.
 */
function share(key: string, entry: Promise<Shared>, shared: Shared): { handle: SyncHandle; released: Release } {
  let closed = false;
  let released = Promise.resolve();
  const { handle } = shared;
  const view: SyncHandle = {
    read: (buffer, options) => handle.read(buffer, options),
    write: (buffer, options) => handle.write(buffer, options),
    getSize: () => handle.getSize(),
    truncate: (size) => handle.truncate(size),
    // A reader writes nothing to flush.
    flush: () => {},
    close() {
      if (closed) return;
      closed = true;
      shared.readers -= 1;
      if (shared.readers > 0) return;
      if (byPath.get(key) === entry) byPath.delete(key);
      try {
        handle.close();
      } finally {
        released = releaseAll(shared.releases);
      }
    },
  };
  return { handle: view, released: () => released };
}
