/**
 * Upload records in an OPFS folder, through the asynchronous API, which pages, workers and
 * WebKit all have: `createWritable()` writes a swap file and commits it on close, so a tab
 * closed mid-save leaves the record before.
 * @module
 */
import { opfsRoot } from '../../platform/opfs-root.js';
import { parseRecord, type UploadRecord, type UploadStore } from './upload-store.js';

const isNotFound = (error: unknown): boolean => (error as DOMException | null)?.name === 'NotFoundError';

/** The records in OPFS folder `dir` (`a/b`, created on the first save). */
export function opfsUploadStore(dir: string): UploadStore {
  const folder = async (create: boolean): Promise<FileSystemDirectoryHandle> => {
    let handle = await opfsRoot();
    for (const name of dir.split('/').filter((part) => part !== '')) handle = await handle.getDirectoryHandle(name, { create });
    return handle;
  };
  return {
    async load(key) {
      try {
        const file = await (await (await folder(false)).getFileHandle(`${key}.json`)).getFile();
        return parseRecord(await file.text());
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async save(key: string, record: UploadRecord) {
      const handle = await (await folder(true)).getFileHandle(`${key}.json`, { create: true });
      const writable = await handle.createWritable();
      try {
        await writable.write(JSON.stringify(record));
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => {});
        throw error;
      }
    },
    async forget(key) {
      try {
        await (await folder(false)).removeEntry(`${key}.json`);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
