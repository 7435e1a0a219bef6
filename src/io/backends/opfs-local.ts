import type { SyncAccess } from '../../opfs/sync-access.js';
import type { UnderlyingFile } from '../core/underlying.js';

/** The backends of an OPFS file opened in a worker: synchronous, and an async face for close. */
export interface LocalOpfsBackend {
  readonly sync: UnderlyingFile;
  readonly async: UnderlyingFile;
}

/** The local OPFS backend: straight on a sync access handle, synchronous. */
export function localOpfs(access: SyncAccess): LocalOpfsBackend {
  const sync: UnderlyingFile = {
    readAt: (position, into) => access.read(position, into),
    writeAt: (position, bytes) => access.write(position, bytes),
    size: () => access.size(),
    truncate: (size) => access.truncate(size),
    flush: () => access.flush(),
    // closeSync cannot wait for an atomic file's move into place: it finishes in the background.
    close: () => access.closeNow(),
  };
  // The async close waits for the move, so `await file.close()` reports its failure.
  const async: UnderlyingFile = { ...sync, close: () => access.close(), abort: () => access.abort() };
  return { sync, async };
}
