/**
 * Upload records in a folder on disk (Node): each save writes a temporary file and renames
 * it over the record, so a crash mid-save leaves the record before.
 * @module
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecord, type UploadStore } from './upload-store.js';

const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/** The records in folder `dir` (created on the first save). */
export function diskUploadStore(dir: string): UploadStore {
  return {
    async load(key) {
      try {
        return parseRecord(await readFile(join(dir, `${key}.json`), 'utf8'));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async save(key, record) {
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `${key}.json.${process.pid}.tmp`);
      await writeFile(temporary, JSON.stringify(record));
      await rename(temporary, join(dir, `${key}.json`));
    },
    async forget(key) {
      await rm(join(dir, `${key}.json`), { force: true });
    },
  };
}
