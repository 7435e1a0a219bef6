/**
 * OPFS files on sync access handles in this thread (dedicated workers only). A page's bundle
 * loads this module, with `sync-access.ts`, only when it opens a file inside a dedicated
 * worker (`opfs-open.ts` imports it then): pages reach sync access handles through the IO
 * worker, shared and service workers through the asynchronous API.
 * @module
 */
import type { AccessOptions } from '../../opfs/access-options.js';
import { withCurrentQuota } from '../../opfs/quota.js';
import { SyncAccess } from '../../opfs/sync-access.js';
import type { FileMode } from '../../util/file-mode.js';
import type { Awaitable, UnderlyingFile } from '../core/underlying.js';

/** The backends of an OPFS file opened in a worker: synchronous, and an async face for close. */
export interface LocalOpfsBackend {
  readonly sync: UnderlyingFile;
  readonly async: UnderlyingFile;
  /** The size at open. */
  readonly size: number;
  /** Releases the file when `owner` is garbage-collected without being closed. */
  readonly watch: (owner: object) => void;
}

/**
 * Releases the files dropped without `close()`, as `abort()` does: the sync access handle is
 * closed (what was written stays) and an atomic `'wb'` left half-written is discarded, its old
 * file kept. Until then the path stayed busy for as long as the worker lived.
 */
const dropped = new FinalizationRegistry<SyncAccess>((access) => void access.abort().catch(() => {}));

/** Runs `step`; if it throws, rejects with the error, a quota error estimated afresh. No promise when it succeeds. */
function withFreshQuota(step: () => void): Awaitable<void> {
  try {
    step();
    return undefined;
  } catch (error) {
    return withCurrentQuota(error).then((current) => Promise.reject(current as Error));
  }
}

/** Opens `path` on a sync access handle here: straight on the handle, synchronous. */
export async function openLocalOpfs(path: string, mode: FileMode, options: AccessOptions): Promise<LocalOpfsBackend> {
  const access = await SyncAccess.open(path, mode, options);
  const sync: UnderlyingFile = {
    readAt: (position, into) => access.read(position, into),
    writeAt: (position, bytes) => access.write(position, bytes),
    size: () => access.size(),
    truncate: (size) => access.truncate(size),
    flush: () => access.flush(),
    // closeSync cannot wait for an atomic file's move into place: it finishes in the background.
    close: () => {
      dropped.unregister(access);
      access.closeNow();
    },
  };
  // The async close waits for the move, so `await file.close()` reports its failure; a full
  // quota is reported with the quota as it is now, which the synchronous call could not wait for.
  const async: UnderlyingFile = {
    ...sync,
    writeAt: (position, bytes) => withFreshQuota(() => access.write(position, bytes)),
    truncate: (size) => withFreshQuota(() => access.truncate(size)),
    close: () => {
      dropped.unregister(access);
      return access.close();
    },
    abort: () => {
      dropped.unregister(access);
      return access.abort();
    },
  };
  const watch = (owner: object): void => dropped.register(owner, access, access);
  return { sync, async, size: access.size(), watch };
}
