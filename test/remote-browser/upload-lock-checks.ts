// resumableUpload in a page, what its record's Web Lock and its check of the blocks do
// (azure-browser.test.ts): two calls for the same File run one after the other (the second
// waiting on the Web Lock), a third waiting one stops with its signal, and a File whose bytes
// changed under the same name, size and time resumes only the blocks that are still its own.
import { AzureFileSystem, resumableUpload } from '../../src/index.js';
import { errorData, MiB, pattern } from './pattern.js';

const withSas = (endpoint: string, sasToken: string): AzureFileSystem =>
  new AzureFileSystem({ accountName: 'devstoreaccount1', endpoint, sasToken, blockSize: MiB, uploadConcurrency: 1 });

/** The names of the records in OPFS folder `store`. */
async function records(store: string): Promise<string[]> {
  try {
    let dir = await navigator.storage.getDirectory();
    for (const name of store.split('/')) dir = await dir.getDirectoryHandle(name);
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  } catch {
    return [];
  }
}

/** Three calls for one File and path: what each ended with, and the Web Locks seen while the first ran. */
export async function azureLockedCalls(endpoint: string, sasToken: string, path: string, size: number) {
  const fs = withSas(endpoint, sasToken);
  const file = new File([pattern(0, size)], 'locked.bin', { lastModified: 1_700_000_000_000 });
  const store = `.nativefile/test-locks/${path.replace(/[^\w.-]/g, '-')}`;
  const controller = new AbortController();
  let locks: Promise<LockManagerSnapshot> | undefined;
  let others: Promise<unknown>[] = [];
  // The others start once the first holds the record; the third gives up while it uploads.
  const first = resumableUpload(fs, path, file, {
    store,
    onProgress: (bytes) => {
      if (bytes >= MiB && others.length === 0) {
        others = [
          resumableUpload(fs, path, file, { store }),
          resumableUpload(fs, path, file, { store, signal: controller.signal }),
        ];
      }
      if (bytes >= 5 * MiB && locks === undefined) {
        locks = navigator.locks.query();
        controller.abort(new Error('gave up waiting'));
      }
    },
  });
  await first.catch(() => {});
  const settled = await Promise.allSettled([first, ...others]);
  const ours = (list: LockInfo[] | undefined) =>
    (list ?? []).filter((lock) => lock.name?.startsWith('nativefile-upload:')).length;
  const snapshot = await locks;
  return {
    outcomes: settled.map((s) => (s.status === 'fulfilled' ? 'ok' : errorData(s.reason).message)),
    held: ours(snapshot?.held),
    pending: ours(snapshot?.pending),
    records: await records(store),
  };
}

/**
 * An upload of one File stopped after 3 MiB, then called again with a File of the same name,
 * size and time whose block 1 differs: where it resumed, and whether the blob is the second.
 */
export async function azureChangedFile(endpoint: string, sasToken: string, path: string, size: number) {
  const fs = withSas(endpoint, sasToken);
  const store = `.nativefile/test-locks/${path.replace(/[^\w.-]/g, '-')}`;
  const bytes = pattern(0, size);
  const named = (data: Uint8Array) =>
    new File([data as Uint8Array<ArrayBuffer>], 'changed.bin', { lastModified: 1_700_000_000_000 });
  const controller = new AbortController();
  await resumableUpload(fs, path, named(bytes), {
    store,
    signal: controller.signal,
    onProgress: (durable) => durable >= 3 * MiB && controller.abort(new Error('stop here')),
  }).catch(() => {});
  const changed = bytes.slice();
  changed.fill(0xee, MiB + 5000, MiB + 5100);
  const result = await resumableUpload(fs, path, named(changed), { store });
  await using blob = await fs.openInputFile(path);
  const stored = await blob.read();
  return {
    resumedFrom: result.resumedFrom,
    same: stored.byteLength === changed.byteLength && stored.every((byte, i) => byte === changed[i]),
  };
}
