/**
 * Upload records in a folder on disk (Node): each save writes a temporary file and renames
 * it over the record, so a crash mid-save leaves the record before. The default folder is
 * under the shared temporary folder, where another local user may create files first: the
 * folder must be the user's own (made `0700`), and temporary files get unguessable names and
 * are created, never opened, so no link planted there is written through. A call holds the
 * record's lock file while it works on it (`disk-upload-lock.ts`).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IOError } from '../../errors.js';
import { lockFile } from './disk-upload-lock.js';
import { parseRecord, type UploadStore } from './upload-store.js';

const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * Whether folder `dir` exists; it must then be a folder of this user's.
 * @throws IOError `EACCES` when another user owns it (it could plant records or read them).
 */
async function ownFolder(dir: string): Promise<boolean> {
  let stats;
  try {
    stats = await stat(dir);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  const uid = process.getuid?.();
  if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) {
    throw new IOError(
      `the upload store ${dir} is not a folder of this user's (uid ${uid}, owner ${stats.uid}): another could plant or read its records`,
      { code: 'EACCES' },
    );
  }
  return true;
}

/** The records in folder `dir` (created on the first save). */
export function diskUploadStore(dir: string): UploadStore {
  return {
    async load(key) {
      if (!(await ownFolder(dir))) return undefined;
      try {
        return parseRecord(await readFile(join(dir, `${key}.json`), 'utf8'));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async save(key, record) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await ownFolder(dir);
      const temporary = join(dir, `${key}.json.${randomUUID()}.tmp`);
      try {
        // 'wx': created here or not at all (O_EXCL), never through a link someone put there.
        await writeFile(temporary, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
        await rename(temporary, join(dir, `${key}.json`));
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        throw error;
      }
    },
    async forget(key) {
      await rm(join(dir, `${key}.json`), { force: true });
    },
    async lock(key, signal) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await ownFolder(dir);
      const release = await lockFile(resolve(dir, `${key}.lock`), signal);
      // Held, no save of this record runs elsewhere: temporary files left are of saves a crash
      // (a killed process) cut short, and would stay for ever.
      try {
        const torn = (await readdir(dir)).filter((name) => name.startsWith(`${key}.json.`) && name.endsWith('.tmp'));
        await Promise.all(torn.map((name) => rm(join(dir, name), { force: true })));
      } catch {
        // Left for the next call: the upload does not depend on it.
      }
      return release;
    },
  };
}
