// A worker for the browser tests: it joins the page's pool and uses OPFS synchronously.
import { expose } from 'comlink';
import {
  attachMemoryPool, Buffer, OpfsFile, setMemoryPool, type MemoryPool, type SharedBufferDescriptor, type WasmPoolHandle,
} from '../../src/index.js';

const kept: Buffer[] = [];
let pool: MemoryPool | undefined;

const api = {
  attach(handle: WasmPoolHandle): void {
    pool = attachMemoryPool(handle);
    setMemoryPool(pool);
  },
  /** Allocates `count` buffers of `size` bytes from the shared pool and fills them. */
  allocate(count: number, size: number, fill: number): SharedBufferDescriptor[] {
    const out: SharedBufferDescriptor[] = [];
    for (let i = 0; i < count; i++) {
      const buffer = pool!.allocate(size);
      buffer.view.fill(fill);
      kept.push(buffer);
      out.push(buffer.share());
    }
    return out;
  },
  sumShared(descriptor: SharedBufferDescriptor): number {
    let sum = 0;
    for (const byte of Buffer.fromShared(descriptor).view) sum += byte;
    return sum;
  },
  releaseAll(): void {
    for (const buffer of kept.splice(0)) buffer.release();
  },
  /** OPFS from inside a worker: a synchronous file. */
  async syncOpfs(path: string): Promise<{ isSync: boolean; text: string; size: number }> {
    const file = await OpfsFile.open(path, 'wb');
    file.writeSync(new TextEncoder().encode('written synchronously\n'));
    file.flushSync();
    file.closeSync();
    const reader = await OpfsFile.open(path, 'rb');
    const text = new TextDecoder().decode(reader.readSync());
    const size = reader.sizeSync();
    reader.closeSync();
    return { isSync: file.isSync, text, size };
  },
};

export type HarnessWorker = typeof api;
expose(api);
