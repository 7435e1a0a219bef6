// The peers: reading and writing an OPFS file with a sync access handle inside a worker.
import { expose } from 'comlink';

const MiB = 1024 * 1024;

interface RawHandle {
  read(b: Uint8Array, o: { at: number }): number;
  write(b: Uint8Array, o: { at: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

async function open(path: string, create = false): Promise<RawHandle> {
  const [dir, name] = path.split('/') as [string, string];
  const root = await navigator.storage.getDirectory();
  const file = await (await root.getDirectoryHandle(dir, { create })).getFileHandle(name, { create });
  return (file as unknown as { createSyncAccessHandle(): Promise<RawHandle> }).createSyncAccessHandle();
}

expose({
  async readAll(path: string, chunk: number, shared = false): Promise<number> {
    const handle = await open(path);
    const buffer = new Uint8Array(shared ? new SharedArrayBuffer(chunk) : new ArrayBuffer(chunk));
    const started = performance.now();
    let total = 0;
    for (let got = handle.read(buffer, { at: 0 }); got > 0; got = handle.read(buffer, { at: total })) total += got;
    const ms = performance.now() - started;
    handle.close();
    return total / 1e6 / (ms / 1000);
  },

  /** Writes the Blob's stream, read here, into `path`: what the page's upload is measured against. */
  writeBlob: (path: string, blob: Blob): Promise<number> => writeStream(path, blob.stream()),

  /** Writes a stream the page transferred here: what a stream from the page costs at best. */
  writeStream,

  /**
   * Replaces `path` crash-safely: writes the Blob's stream into a sibling and moves it over
   * the file, so a crash mid-write keeps the old file (what an atomic `'wb'` promises).
   */
  async replaceBlob(path: string, blob: Blob): Promise<number> {
    const [dir, name] = path.split('/') as [string, string];
    const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir, { create: true });
    const sibling = (await directory.getFileHandle(`.${name}.raw-partial`, { create: true })) as FileSystemFileHandle & {
      createSyncAccessHandle(): Promise<RawHandle>;
      move(directory: FileSystemDirectoryHandle, name: string): Promise<void>;
    };
    const written = await writeInto(await sibling.createSyncAccessHandle(), blob.stream());
    await sibling.move(directory, name);
    return written;
  },

  replaceSteps,

  /**
   * Opens `path` for {@link writeChunk}, cut to 0; `crashSafe`, a new sibling instead, which
   * {@link closeChunks} moves over `path` (what an atomic `'wb'` promises: a crash mid-write
   * keeps the old file).
   */
  async openChunks(path: string, crashSafe = false): Promise<void> {
    if (crashSafe) {
      const [dir, name] = path.split('/') as [string, string];
      const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir, { create: true });
      const sibling = (await directory.getFileHandle(`.${name}.raw-partial`, { create: true })) as MovableFile;
      chunked = await sibling.createSyncAccessHandle();
      moveOnClose = () => sibling.move(directory, name);
    } else {
      chunked = await open(path, true);
    }
    chunked.truncate(0);
  },

  /** Writes a chunk the page transferred at `at` of the file `openChunks` opened. */
  writeChunk(at: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.byteLength;) done += chunked!.write(bytes.subarray(done), { at: at + done });
  },

  /** Flushes and closes the file `openChunks` opened (and moves it over the file it replaces). */
  async closeChunks(): Promise<void> {
    chunked!.flush();
    chunked!.close();
    chunked = undefined;
    const move = moveOnClose;
    moveOnClose = undefined;
    await move?.();
  },
});

/** The file the page writes chunk by chunk (`openChunks`, `writeChunk`, `closeChunks`). */
let chunked: RawHandle | undefined;
/** Moves the crash-safe sibling `chunked` writes over the file it replaces. */
let moveOnClose: (() => Promise<void>) | undefined;

type MovableFile = FileSystemFileHandle & {
  createSyncAccessHandle(): Promise<RawHandle>;
  move(directory: FileSystemDirectoryHandle, name: string): Promise<void>;
};

/** The routes of {@link replaceSteps}. */
export type ReplaceRoute = 'inPlace' | 'appended' | 'extended' | 'extendedAtOpen';

/**
 * Replaces `path` with the Blob's stream by `route`, timing each step (ms, in order): in place
 * (the file opened, cut to 0 and written), or crash-safe through a sibling moved over the file
 * on close, as an atomic `'wb'` does: `appended` (the sibling grows write by write),
 * `extended` (extended to the Blob's size once written past 1 MiB, as src/opfs/reserving-handle.ts
 * does) or `extendedAtOpen` (extended before the first write). `writes` and `extend` are the
 * time spent in those calls; `total` is the whole.
 */
async function replaceSteps(route: ReplaceRoute, path: string, blob: Blob): Promise<Record<string, number>> {
  const started = performance.now();
  const steps: Record<string, number> = {};
  let last = started;
  const step = (name: string) => {
    const now = performance.now();
    steps[name] = now - last;
    last = now;
  };
  const [dir, name] = path.split('/') as [string, string];
  const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir, { create: true });
  type SyncFile = FileSystemFileHandle & {
    createSyncAccessHandle(): Promise<RawHandle>;
    move(directory: FileSystemDirectoryHandle, name: string): Promise<void>;
  };
  let file: SyncFile;
  const partial = `.${name}.probe-partial`;
  if (route === 'inPlace') {
    file = (await directory.getFileHandle(name)) as SyncFile;
    step('lookup');
  } else {
    // What openOpfs does for an atomic 'wb': remove a leftover, check the file, create the sibling.
    await directory.removeEntry(partial).catch(() => {});
    step('removeLeftover');
    await (await directory.getFileHandle(name)).getFile();
    step('lookupOld');
    file = (await directory.getFileHandle(partial, { create: true })) as SyncFile;
    step('createSibling');
  }
  const handle = await file.createSyncAccessHandle();
  step('syncHandle');
  handle.truncate(0);
  step('truncate0');
  let extended = 0;
  let extend = 0;
  const extendTo = (size: number) => {
    const before = performance.now();
    handle.truncate(size);
    extended = handle.getSize();
    extend += performance.now() - before;
  };
  if (route === 'extendedAtOpen') extendTo(blob.size);
  step('extendAtOpen');
  const reader = blob.stream().getReader();
  let at = 0;
  let writes = 0;
  for (let result = await reader.read(); !result.done; result = await reader.read()) {
    const bytes = result.value;
    const end = at + bytes.byteLength;
    if (route === 'extended' && end > extended && end > 1024 * 1024) extendTo(blob.size);
    const before = performance.now();
    for (let done = 0; done < bytes.byteLength;) done += handle.write(bytes.subarray(done), { at: at + done });
    writes += performance.now() - before;
    at = end;
  }
  step('upload');
  handle.flush();
  step('flush');
  handle.close();
  step('close');
  if (route !== 'inPlace') await file.move(directory, name);
  step('move');
  return { ...steps, writes, extend, total: performance.now() - started };
}

async function writeStream(path: string, stream: ReadableStream<Uint8Array>): Promise<number> {
  return writeInto(await open(path, true), stream);
}

/** Writes `stream` into `handle` from offset 0, the file cut to what it wrote; closes the handle. */
async function writeInto(handle: RawHandle, stream: ReadableStream<Uint8Array>): Promise<number> {
  handle.truncate(0);
  const reader = stream.getReader();
  let at = 0;
  for (let result = await reader.read(); !result.done; result = await reader.read()) {
    for (let done = 0; done < result.value.byteLength;) done += handle.write(result.value.subarray(done), { at: at + done });
    at += result.value.byteLength;
  }
  handle.flush();
  handle.close();
  return at / MiB;
}
