// The peers: reading and writing an OPFS file with a sync access handle inside a worker.
import { expose } from 'comlink';

const MiB = 1024 * 1024;

interface RawHandle {
  read(b: Uint8Array, o: { at: number }): number;
  write(b: Uint8Array, o: { at: number }): number;
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
});

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
