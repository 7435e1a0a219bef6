/**
 * The lock of an upload record on disk (Node), so that two calls uploading the same source to
 * the same path, in one process or two, do not both upload it and clobber each other's
 * record: `<key>.lock` beside the record, created exclusively (`wx`), naming its holder
 * (host, pid, thread, a random nonce), its modification time refreshed every 10 s while held. A call
 * that finds one waits, polling (25 ms, backing off to 1 s) until it is released or the
 * call's signal aborts, unless it is stale: its holder is a process of this host that is
 * gone (killed mid-upload: the next call must not wait for it), or it was not refreshed for a
 * minute (a holder on another host sharing the folder, or a file torn by a crash). Calls of
 * this thread queue in memory first ({@link inProcessLock}), since its own pid is alive.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { nodeBuiltin } from '../../platform/node-builtin.js';
import { IOError } from '../../errors.js';
import { sleep } from '../../remote/retry.js';
import { inProcessLock } from './upload-store.js';

/**
 * This thread's id (`worker_threads`), asked for when a lock is taken: importing the module
 * would load worker_threads into every program that imports nativefile/node.
 */
function threadId(): number {
  const id = (nodeBuiltin('node:worker_threads') as { threadId?: unknown } | undefined)?.threadId;
  return typeof id === 'number' ? id : 0;
}

/** How often a held lock's modification time is refreshed. */
const REFRESH_MS = 10_000;
/** A lock not refreshed for this long is stale, whoever holds it. */
const STALE_MS = 60_000;
const FIRST_POLL_MS = 25;
const LAST_POLL_MS = 1000;

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/** Whether process `pid` of this host runs (`EPERM`: it does, as another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

/** Whether the lock whose text is `text`, last refreshed at `mtimeMs`, is held by no one. */
function stale(text: string, mtimeMs: number): boolean {
  if (Date.now() - mtimeMs > STALE_MS) return true;
  let holder: { host?: unknown; pid?: unknown; thread?: unknown };
  try {
    holder = JSON.parse(text) as { host?: unknown; pid?: unknown; thread?: unknown };
  } catch {
    return false; // being written (or torn): its age decides
  }
  if (holder.host !== hostname() || typeof holder.pid !== 'number') return false;
  if (holder.pid !== process.pid) return !alive(holder.pid);
  // This thread's own calls queue in memory, so a lock naming this process and thread is a
  // dead predecessor's that had the same pid (a container's process restarted). Another
  // thread of this process (worker_threads) queues apart: its lock is live until its age says.
  return holder.thread === threadId();
}

/**
 * Removes the lock at `path` if it is stale; whether it is gone (then try again at once). It
 * is moved aside first, then checked: a caller that broke it and made its own in between
 * would otherwise lose its lock to this one; moved back if it is not the one found stale.
 */
async function breakIfStale(path: string): Promise<boolean> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return true;
    throw error;
  }
  if (!stale(text, mtimeMs)) return false;
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return true;
    throw error;
  }
  if ((await readFile(aside, 'utf8').catch(() => '')) !== text) await link(aside, path).catch(() => {});
  await rm(aside, { force: true });
  return true;
}

/**
 * Takes the lock file `path` (an absolute path), waiting as the module says; resolves to its
 * release. Rejects with `signal`'s reason if it aborts first.
 * @throws IOError when the lock file cannot be made (the folder is not writable).
 */
export async function lockFile(path: string, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
  const releaseHere = await inProcessLock(path, signal);
  const text = JSON.stringify({ host: hostname(), pid: process.pid, thread: threadId(), nonce: randomUUID() });
  try {
    for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, LAST_POLL_MS)) {
      signal?.throwIfAborted();
      try {
        await writeFile(path, text, { flag: 'wx', mode: 0o600 });
        break;
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') {
          const reason = error instanceof Error ? error.message : String(error);
          throw new IOError(`the upload record ${path} cannot be locked (${reason}): nothing was uploaded`, {
            code: codeOf(error) ?? 'EIO',
            cause: error,
          });
        }
      }
      if (!(await breakIfStale(path))) await sleep(wait, signal);
    }
  } catch (error) {
    await releaseHere();
    throw error;
  }
  const refresh = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => {});
  }, REFRESH_MS);
  refresh.unref?.();
  return async () => {
    clearInterval(refresh);
    try {
      // Only its own: a lock broken as stale (this process frozen for a minute) is another's now.
      if ((await readFile(path, 'utf8')) === text) await rm(path, { force: true });
    } catch {
      // Already gone: nothing to release.
    } finally {
      await releaseHere();
    }
  };
}
