// The page side of the OpfsFileSystem browser test: functions the Node runner calls with evaluate().
import { OpfsFileSystem, type OpfsFileSystemOptions } from '../../src/fs/opfs/opfs-file-system.js';
import { fileSystemChecks, type FileSystemCheckResults } from '../fs/filesystem-checks.js';
import { edgeChecks, type EdgeCheckResults } from '../fs/filesystem-edge-checks.js';

/** Removes `base` if a previous run left it, then creates it empty. */
async function fresh(fs: OpfsFileSystem, base: string): Promise<void> {
  if ((await fs.getFileInfo(base)).type !== 'not-found') await fs.deleteDir(base);
  await fs.createDir(base);
}

const harness = {
  environment: () => ({
    isolated: globalThis.crossOriginIsolated,
    hasMove: typeof (FileSystemFileHandle.prototype as { move?: unknown }).move === 'function',
  }),

  /** The shared checks on this page, with `options` for the files it opens. */
  async checks(
    base: string,
    options: OpfsFileSystemOptions,
  ): Promise<FileSystemCheckResults & { backend: string; edges: EdgeCheckResults }> {
    const fs = new OpfsFileSystem(options);
    await fresh(fs, base);
    const probe = await fs.openOutputStream(`${base}/probe.bin`);
    const backend = probe.backend;
    await probe.close();
    await fs.deleteFile(`${base}/probe.bin`);
    const results = await fileSystemChecks(fs, base);
    const edges = await edgeChecks(fs, base);
    await fs.deleteDir(base);
    return { ...results, backend, edges };
  },

  /** The shared checks in a dedicated module worker. */
  async workerChecks(base: string): Promise<FileSystemCheckResults | { error: string }> {
    await fresh(new OpfsFileSystem(), base);
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    try {
      const answer = await new Promise<{ ok?: FileSystemCheckResults; error?: string }>((resolve) => {
        worker.onmessage = (event: MessageEvent<{ ok?: FileSystemCheckResults; error?: string }>) => resolve(event.data);
        worker.postMessage(base);
      });
      return answer.ok ?? { error: answer.error ?? 'no answer' };
    } finally {
      worker.terminate();
      await new OpfsFileSystem().deleteDir(base).catch(() => undefined);
    }
  },

  /**
   * OpfsFileSystem's storage figures against navigator.storage's, before and after writing
   * 1 MiB, and what persist() answers.
   */
  async storage(base: string) {
    const fs = new OpfsFileSystem();
    await fresh(fs, base);
    const before = await fs.estimate();
    const { usage, quota } = await navigator.storage.estimate();
    const out = await fs.openOutputStream(`${base}/estimate.bin`);
    await out.write(new Uint8Array(1024 * 1024).fill(7));
    await out.close();
    const after = await fs.estimate();
    await fs.deleteDir(base);
    const persistedBefore = await fs.persisted();
    const granted = await fs.persist({ signal: AbortSignal.timeout(20_000) }).catch((error: Error) => error.name);
    const persistedAfter = await fs.persisted();
    const aborted = await fs.persist({ signal: AbortSignal.abort(new Error('stop')) }).catch((error: Error) => error.message);
    return { before, platform: { usage, quota }, after, persistedBefore, granted, persistedAfter, aborted };
  },

  /** A crashed atomic write's partial sibling, beside its file: what the listings show. */
  async listingsWithPartialSibling(base: string): Promise<{ listed: string[]; recursive: string[] }> {
    const fs = new OpfsFileSystem();
    await fresh(fs, `${base}/sub`);
    const out = await fs.openOutputStream(`${base}/sub/a.bin`);
    await out.write(Uint8Array.of(1, 2, 3));
    await out.close();
    // As a writer that crashed mid-replace leaves it (src/opfs/access-options.ts temporaryName).
    let directory = await navigator.storage.getDirectory();
    for (const name of [...base.split('/'), 'sub']) directory = await directory.getDirectoryHandle(name);
    await directory.getFileHandle('.a.bin.nativefile-partial', { create: true });
    const paths = (infos: { path: string }[]) => infos.map((info) => info.path).sort();
    const result = {
      listed: paths(await fs.listDir(`${base}/sub`)),
      recursive: paths(await fs.listDir(base, { recursive: true })),
    };
    await fs.deleteDir(base);
    return result;
  },

  /** A file move where the browser has no `FileSystemFileHandle.move()`: copy, then delete. */
  async moveWithoutHandleMove(base: string): Promise<{ from: string; to: string; bytes: number[]; replaced: boolean }> {
    const fs = new OpfsFileSystem();
    await fresh(fs, base);
    const write = async (path: string, data: number[]): Promise<void> => {
      const out = await fs.openOutputStream(path);
      await out.write(Uint8Array.from(data));
      await out.close();
    };
    await write(`${base}/a.bin`, [1, 2, 3]);
    await write(`${base}/b.bin`, [9, 9, 9, 9, 9]);
    const proto = FileSystemFileHandle.prototype as { move?: unknown };
    const saved = Object.getOwnPropertyDescriptor(proto, 'move');
    delete proto.move;
    try {
      await fs.move(`${base}/a.bin`, `${base}/b.bin`);
    } finally {
      if (saved) Object.defineProperty(proto, 'move', saved);
    }
    const input = await fs.openInputFile(`${base}/b.bin`);
    const bytes = Array.from(await input.read());
    await input.close();
    const result = {
      from: (await fs.getFileInfo(`${base}/a.bin`)).type,
      to: (await fs.getFileInfo(`${base}/b.bin`)).type,
      bytes,
      replaced: bytes.length === 3,
    };
    await fs.deleteDir(base);
    return result;
  },
};

/** The functions the test calls in the page. */
export type Harness = typeof harness;

(globalThis as unknown as { harness: Harness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
