/**
 * The nativefile IO worker (`nativefile/worker`): a module Web Worker, exposed with comlink,
 * that owns OPFS sync access handles. Reads land directly in the page's shared pool memory
 * and writes read directly from it (no copy, no transfer); pages that are not cross-origin
 * isolated get transferred copies instead.
 * @module
 */
import { expose, transfer } from 'comlink';
import { ClosedFileError } from '../src/errors.js';
import {
  attachMemoryPool, Buffer, defaultMemoryPool, setMemoryPool, type FileMode, type SharedBufferDescriptor,
  type WasmPoolHandle,
} from '../src/index.js';
import { installRemoteErrors } from '../src/io/opfs/remote-errors.js';
import { SyncAccess } from '../src/io/opfs/sync-access.js';

const files = new Map<number, SyncAccess>();
let nextId = 1;

function access(id: number): SyncAccess {
  const file = files.get(id);
  if (file === undefined) throw new ClosedFileError(`the IO worker has no open file ${id}`);
  return file;
}

/** Pool statistics, as the worker sees them (global when the pool is shared). */
export interface PoolStatistics {
  backend: string;
  bytesAllocated: number;
  maxMemory: number;
  numAllocations: number;
}

/** The service the worker exposes; use it through `comlink.wrap<IoService>(worker)`. */
export const ioService = {
  /** Uses the page's wasm pool for the worker's own allocations. */
  attachPool(handle: WasmPoolHandle): void {
    setMemoryPool(attachMemoryPool(handle));
  },

  poolStatistics(): PoolStatistics {
    const pool = defaultMemoryPool();
    return {
      backend: pool.backendName,
      bytesAllocated: pool.bytesAllocated(),
      maxMemory: pool.maxMemory(),
      numAllocations: pool.numAllocations(),
    };
  },

  async open(path: string, mode: FileMode): Promise<{ id: number; size: number }> {
    const file = await SyncAccess.open(path, mode);
    const id = nextId++;
    files.set(id, file);
    return { id, size: file.size() };
  },

  /** Reads into shared memory the page described; returns the count. */
  readShared(id: number, position: number, target: SharedBufferDescriptor): number {
    return access(id).read(position, Buffer.fromShared(target).view);
  },

  /** Reads up to `length` bytes into a new buffer, transferred to the page. */
  readCopy(id: number, position: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const count = access(id).read(position, out);
    const exact = count === length ? out : out.slice(0, count);
    return transfer(exact, [exact.buffer]);
  },

  writeShared(id: number, position: number, source: SharedBufferDescriptor): void {
    access(id).write(position, Buffer.fromShared(source).view);
  },

  writeCopy(id: number, position: number, bytes: Uint8Array): void {
    access(id).write(position, bytes);
  },

  truncate: (id: number, size: number): void => access(id).truncate(size),
  flush: (id: number): void => access(id).flush(),

  close(id: number): void {
    files.get(id)?.close();
    files.delete(id);
  },
};

/** The type to give `comlink.wrap<IoService>(worker)`. */
export type IoService = typeof ioService;

const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
if (inWorker) {
  installRemoteErrors();
  expose(ioService);
}
