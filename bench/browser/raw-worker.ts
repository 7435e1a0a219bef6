// The peer: reading an OPFS file with a sync access handle inside a worker, 1 MiB at a time.
import { expose } from 'comlink';

expose({
  async readAll(path: string, chunk: number, shared = false): Promise<number> {
    const [dir, name] = path.split('/') as [string, string];
    const root = await navigator.storage.getDirectory();
    const file = await (await root.getDirectoryHandle(dir)).getFileHandle(name);
    const handle = await (file as unknown as { createSyncAccessHandle(): Promise<{ read(b: Uint8Array, o: { at: number }): number; close(): void }> }).createSyncAccessHandle();
    const buffer = new Uint8Array(shared ? new SharedArrayBuffer(chunk) : new ArrayBuffer(chunk));
    const started = performance.now();
    let total = 0;
    for (let got = handle.read(buffer, { at: 0 }); got > 0; got = handle.read(buffer, { at: total })) total += got;
    const ms = performance.now() - started;
    handle.close();
    return total / 1e6 / (ms / 1000);
  },
});
