// Page-side checks of the async OPFS backend: the contract in every context, SharedWorkers,
// and one store shared by a page and a SharedWorker (Web Locks across contexts).
import { wrap, type Remote } from 'comlink';
import type { OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';
import type { HarnessSharedWorker } from './harness-shared-worker.js';
import type { HarnessWorker } from './harness-worker.js';
import { contexts } from './opfs-contexts.js';
import { opfsContract } from './opfs-contract.js';
import { listDir } from './pattern.js';
import { OpfsFile } from '../../src/io/backends/opfs-file.js';

let shared: Remote<HarnessSharedWorker> | undefined;
/** The SharedWorker every page of the origin shares (started by the first). */
const sharedWorker = (): Remote<HarnessSharedWorker> => {
  shared ??= wrap<HarnessSharedWorker>(
    new SharedWorker(new URL('./harness-shared-worker.ts', import.meta.url), { type: 'module' }).port,
  );
  return shared;
};
const dedicatedWorker = (): Remote<HarnessWorker> =>
  wrap<HarnessWorker>(new Worker(new URL('./harness-worker.ts', import.meta.url), { type: 'module' }));

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

export const asyncChecks = {
  pageCapabilities: () => contexts.capabilities(),
  pageRoundTrip: (mib: number, options: OpfsOpenOptions = {}) => contexts.roundTrip(mib, options),
  pageResponse: (options: OpfsOpenOptions = {}) => contexts.responseOfFile(options),
  pageForcedSync: () => contexts.forcedSync(),
  /** The contract on this page, with `options` (such as `{ backend: 'async' }`). */
  pageContract: (options: OpfsOpenOptions = {}) => opfsContract(unique('contract-page'), options),
  /** The contract in a dedicated worker. */
  workerContract: (options: OpfsOpenOptions = {}) => dedicatedWorker().contract(unique('contract-worker'), options),
  /** The contract in a SharedWorker (no sync access handles there). */
  sharedWorkerContract: () => sharedWorker().contract(unique('contract-shared'), {}),
  sharedWorkerCapabilities: () => sharedWorker().capabilities(),
  sharedWorkerRoundTrip: (mib: number) => sharedWorker().roundTrip(mib),
  sharedWorkerResponse: () => sharedWorker().responseOfFile(),
  sharedWorkerForcedSync: () => sharedWorker().forcedSync(),
  workerRoundTrip: (mib: number, options: OpfsOpenOptions = {}) => dedicatedWorker().roundTrip(mib, options),
  workerResponse: () => dedicatedWorker().responseOfFile(),

  /**
   * An atomic 'wb' on the async backend whose swap file cannot be opened (the page's
   * `createWritable` made to fail while it is patched): what the open threw, what is left in
   * the folder, what the file holds, and whether it can be replaced right after.
   */
  async failedWritableOpen(): Promise<Record<string, unknown>> {
    const dir = unique('failed-open');
    const options = { backend: 'async' } as const;
    const old = await OpfsFile.open(`${dir}/f.txt`, 'wb', options);
    await old.write(new TextEncoder().encode('old'));
    await old.close();
    const prototype = FileSystemFileHandle.prototype;
    const createWritable = Object.getOwnPropertyDescriptor(prototype, 'createWritable')!;
    Object.defineProperty(prototype, 'createWritable', {
      ...createWritable,
      value: () => Promise.reject(new DOMException('injected failure', 'InvalidStateError')),
    });
    const out: Record<string, unknown> = {};
    try {
      out.open = await OpfsFile.open(`${dir}/f.txt`, 'wb', options).then(
        (file) => file.close().then(() => 'opened'),
        (error: unknown) => (error as Error).name,
      );
    } finally {
      Object.defineProperty(prototype, 'createWritable', createWritable);
    }
    out.listing = await listDir(dir);
    const kept = await OpfsFile.open(`${dir}/f.txt`, 'rb', options);
    out.kept = new TextDecoder().decode(await kept.read());
    await kept.close();
    const again = await OpfsFile.open(`${dir}/f.txt`, 'wb', options);
    await again.write(new TextEncoder().encode('new'));
    await again.close();
    out.listingAfterReplace = await listDir(dir);
    return out;
  },

  /**
   * One store, two contexts: what the SharedWorker meets while this page holds a file (through
   * its default backend, or the async one), and what the page meets while the SharedWorker does.
   */
  async sharedStore(pageBackend: 'auto' | 'async'): Promise<Record<string, unknown>> {
    const worker = sharedWorker();
    const path = `${unique('store')}/f.txt`;
    const options = { backend: pageBackend } as const;
    const out: Record<string, unknown> = {};
    out.pageWrites = await contexts.hold(path, 'wb', 'old', options);
    await contexts.closeHeld();
    // A writer on the page: the SharedWorker's writer is EBUSY, its reader waits for it.
    out.pageHolds = await contexts.hold(path, 'rb+', undefined, options);
    out.workerWriter = await worker.hold(path, 'rb+');
    const waiting = worker.readText(path, { wait: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await contexts.closeHeld();
    out.workerWaited = await waiting;
    // The SharedWorker replaces the file: the page reads the old one until it closes.
    out.workerReplaces = await worker.hold(path, 'wb', 'new');
    out.pageWhileReplaced = await contexts.readText(path, options);
    out.pageWriter = await contexts.hold(path, 'rb+', undefined, options);
    await worker.closeHeld();
    out.pageAfterReplace = await contexts.readText(path, options);
    return out;
  },
};
