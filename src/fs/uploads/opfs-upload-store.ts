/**
 * Upload records in an OPFS folder, through the asynchronous API, which pages, workers and
 * WebKit all have: `createWritable()` writes a swap file and commits it on close, so a tab
 * closed mid-save leaves the record before. A call holds a Web Lock named after the record
 * while it works on it, which every page and worker of the origin shares (the OPFS folder is
 * the origin's too); where the platform has none, calls of one realm are serialised.
 * @module
 */
import { opfsRoot } from '../../platform/opfs-root.js';
import { inProcessLock, parseRecord, type UploadRecord, type UploadStore } from './upload-store.js';

/** Takes the Web Lock `name`, waiting for its holder, or until `signal` aborts; resolves to its release. */
function webLock(locks: LockManager, name: string, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    // The lock is held until the callback's promise settles: until the release is called.
    const held = (): Promise<void> =>
      new Promise<void>((release) => {
        resolve(() => {
          release();
          return Promise.resolve();
        });
      });
    // An abort while waiting rejects the request with the signal's reason.
    locks.request(name, signal === undefined ? {} : { signal }, held).catch(reject);
  });
}

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
    async lock(key, signal) {
      const name = `nativefile-upload:${dir}/${key}`;
      const locks = typeof navigator === 'undefined' ? undefined : (navigator as Partial<Navigator>).locks;
      return locks === undefined ? inProcessLock(name, signal) : webLock(locks, name, signal);
    },
  };
}
