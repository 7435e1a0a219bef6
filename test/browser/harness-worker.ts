// A worker for the browser tests: it joins the page's pool and uses OPFS synchronously.
import { expose } from 'comlink';
import { Buffer } from '../../src/memory/buffer.js';
import type { SharedBufferDescriptor } from '../../src/memory/shared-buffer-descriptor.js';
import { setMemoryPool } from '../../src/memory/default-pool.js';
import type { MemoryPool } from '../../src/memory/memory-pool.js';
import { attachMemoryPool } from '../../src/memory/wasm/wasm-pool.js';
import type { WasmPoolHandle } from '../../src/memory/wasm/wasm-pool-types.js';
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { contexts } from './opfs-contexts.js';
import { droppedAtomicWriter } from './dropped-writer.js';
import { openErrors } from './open-errors.js';
import { writerClosedBeforeItsReader } from './same-context-reader.js';
import { closeFirstReader, secondReaderAborted } from './waiting-readers.js';
import { opfsContract } from './opfs-contract.js';

const kept: Buffer[] = [];
let pool: MemoryPool | undefined;
const held: Array<{ close(): Promise<void> }> = [];

const api = {
  contract: opfsContract,
  roundTrip: contexts.roundTrip,
  droppedAtomicWriter,
  openErrors,
  writerClosedBeforeItsReader,
  secondReaderAborted,
  closeFirstReader,
  responseOfFile: contexts.responseOfFile,
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
  /** OPFS from inside a worker: a synchronous file (`isSync` narrows the type to one). */
  async syncOpfs(path: string): Promise<{ isSync: boolean; text: string; size: number; truncated: number }> {
    const file = await OpfsFile.open(path, 'wb');
    if (!file.isSync) throw new Error('expected a synchronous file in a worker');
    file.writeSync(new TextEncoder().encode('written synchronously\n'));
    file.flushSync();
    file.closeSync();
    const reader = await OpfsFile.open(path, 'rb');
    if (!reader.isSync) throw new Error('expected a synchronous reader');
    const text = new TextDecoder().decode(reader.readSync());
    const size = reader.sizeSync();
    reader.closeSync();
    const scratch = await OpfsFile.open(`${path}.scratch`, 'rb+');
    if (!scratch.isSync) throw new Error('expected a synchronous read-write file');
    scratch.writeSync(new Uint8Array(100));
    scratch.truncateSync(40);
    const truncated = scratch.sizeSync();
    await scratch.close();
    return { isSync: file.isSync, text, size, truncated };
  },
  /** Opens `path` here and keeps it open (another thread then finds it busy). */
  async hold(path: string, mode: 'rb' | 'rb+'): Promise<void> {
    held.push(await OpfsFile.open(path, mode));
  },
  async releaseHeld(): Promise<void> {
    for (const file of held.splice(0)) await file.close();
  },
};

export type HarnessWorker = typeof api;
expose(api);
