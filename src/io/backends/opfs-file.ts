import { transfer, wrap, type Remote } from 'comlink';
import type { IoService } from '../../../worker/index.js';
import type { Buffer, SharedBufferDescriptor } from '../../memory/buffer.js';
import { defaultMemoryPool } from '../../memory/default-pool.js';
import { describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../file-mode.js';
import { NativeFile } from '../native-file.js';
import { installRemoteErrors } from '../opfs/remote-errors.js';
import { splitOpfsPath } from '../opfs/opfs-paths.js';
import { SyncAccess } from '../opfs/sync-access.js';
import { checkSize } from '../../util/validate.js';

/** Options of {@link OpfsFile.open}. */
export interface OpfsOpenOptions {
  /** The IO worker to use on the main thread; by default one shared worker started on first use. */
  worker?: Worker;
}

interface RemoteFile {
  readonly service: Remote<IoService>;
  readonly id: number;
  /** The size, kept up to date by this file's writes (the handle is exclusive). */
  size: number;
}

const services = new WeakMap<Worker, Promise<Remote<IoService>>>();
let defaultWorker: Worker | undefined;

/** The comlink proxy of `worker`, attached to this page's wasm pool when it has one. */
function serviceOf(worker: Worker): Promise<Remote<IoService>> {
  let service = services.get(worker);
  if (service === undefined) {
    installRemoteErrors();
    const remote = wrap<IoService>(worker);
    const pool = defaultMemoryPool() as { handle?: Parameters<IoService['attachPool']>[0] };
    service = (pool.handle === undefined ? Promise.resolve() : remote.attachPool(pool.handle)).then(() => remote);
    services.set(worker, service);
  }
  return service;
}

function inWorkerWithSyncAccess(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' &&
    typeof (globalThis as { FileSystemSyncAccessHandle?: unknown }).FileSystemSyncAccessHandle !== 'undefined';
}

function isShared(bytes: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
}

function describeShared(bytes: Uint8Array): SharedBufferDescriptor {
  return { buffer: bytes.buffer as SharedArrayBuffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength, mutable: true };
}

/** A buffer of `size` bytes from the default pool when that pool's memory is shared, else `undefined`. */
function sharedScratch(size: number): Buffer | undefined {
  const pool = defaultMemoryPool();
  return 'handle' in pool ? pool.allocate(size) : undefined;
}

/**
 * A file in the Origin Private File System, with random-access reads and writes.
 *
 * Opened inside a worker, it works straight on a `FileSystemSyncAccessHandle` and is
 * synchronous (`isSync`). Opened on the main thread, it is asynchronous and goes through the
 * IO worker, which reads into and writes from the page's pool memory directly when the page is
 * cross-origin isolated (shared memory), and exchanges transferred copies otherwise.
 *
 * Directories on the path are created for modes that write. `'wb'` truncates, `'ab'` appends.
 */
export class OpfsFile extends NativeFile {
  readonly mode: FileMode;
  readonly isSync: boolean;
  /** The path inside the origin private file system. */
  readonly path: string;
  readonly #local: SyncAccess | undefined;
  readonly #remote: RemoteFile | undefined;

  private constructor(path: string, mode: FileMode, local: SyncAccess | undefined, remote: RemoteFile | undefined) {
    super();
    this.path = path;
    this.mode = mode;
    this.#local = local;
    this.#remote = remote;
    this.isSync = local !== undefined;
    if (mode === 'ab') this.position = local?.size() ?? remote!.size;
  }

  /** Opens (and for writing modes creates) the file at `path`, such as `'uploads/data.bin'`. */
  static async open(path: string, mode: FileModeInput = 'rb', options: OpfsOpenOptions = {}): Promise<OpfsFile> {
    splitOpfsPath(path);
    const canonical = parseFileMode(mode, ['rb', 'wb', 'ab', 'rb+']);
    if (options.worker === undefined && inWorkerWithSyncAccess()) {
      return new OpfsFile(path, canonical, await SyncAccess.open(path, canonical), undefined);
    }
    if (options.worker !== undefined && typeof options.worker.postMessage !== 'function') {
      throw new TypeError(`options.worker must be a Worker, got ${describe(options.worker)}`);
    }
    const service = await serviceOf(options.worker ?? startDefaultWorker());
    const { id, size } = await service.open(path, canonical);
    return new OpfsFile(path, canonical, undefined, { service, id, size });
  }

  /** Cuts or extends the file to `size` bytes. */
  async truncate(size: number): Promise<void> {
    this.checkWritable();
    checkSize(size, 'size');
    if (this.#local !== undefined) return this.#local.truncate(size);
    await this.#remote!.service.truncate(this.#remote!.id, size);
    this.#remote!.size = size;
  }

  /** Synchronous {@link OpfsFile.truncate}, inside a worker. */
  truncateSync(size: number): void {
    this.checkWritable(true);
    this.#local!.truncate(checkSize(size, 'size'));
  }

  protected isSeekable(): boolean {
    return this.mode !== 'ab';
  }

  protected sizeForSeek(): number {
    return this.#local?.size() ?? this.#remote!.size;
  }

  protected readAtSyncImpl(position: number, into: Uint8Array): number {
    return this.#local!.read(position, into);
  }

  protected writeSyncImpl(position: number, bytes: Uint8Array): void {
    this.#local!.write(position, bytes);
  }

  protected sizeSyncImpl(): number {
    return this.#local!.size();
  }

  protected flushSyncImpl(): void {
    this.#local!.flush();
  }

  protected closeSyncImpl(): void {
    this.#local!.close();
  }

  protected async readAtImpl(position: number, into: Uint8Array): Promise<number> {
    if (this.#local !== undefined) return this.#local.read(position, into);
    const { service, id } = this.#remote!;
    if (isShared(into)) return service.readShared(id, position, describeShared(into));
    const scratch = sharedScratch(into.byteLength);
    if (scratch === undefined) {
      const bytes = await service.readCopy(id, position, into.byteLength);
      into.set(bytes);
      return bytes.byteLength;
    }
    // The worker fills pool memory; one copy takes it to the caller's own memory.
    try {
      const count = await service.readShared(id, position, scratch.share());
      into.set(scratch.view.subarray(0, count));
      return count;
    } finally {
      scratch.release();
    }
  }

  protected async writeImpl(position: number, bytes: Uint8Array): Promise<void> {
    if (this.#local !== undefined) return this.#local.write(position, bytes);
    const remote = this.#remote!;
    const scratch = isShared(bytes) ? undefined : sharedScratch(bytes.byteLength);
    if (isShared(bytes)) {
      await remote.service.writeShared(remote.id, position, describeShared(bytes));
    } else if (scratch !== undefined) {
      // One copy into pool memory, which the worker reads in place.
      try {
        scratch.view.set(bytes);
        await remote.service.writeShared(remote.id, position, scratch.share());
      } finally {
        scratch.release();
      }
    } else {
      const copy = bytes.slice();
      await remote.service.writeCopy(remote.id, position, transfer(copy, [copy.buffer]));
    }
    remote.size = Math.max(remote.size, position + bytes.byteLength);
  }

  protected async sizeImpl(): Promise<number> {
    // A sync access handle locks the file, so only this file's writes change its size: the
    // size kept here is exact, and reads need no extra round trip to the worker.
    return this.#local?.size() ?? this.#remote!.size;
  }

  protected async flushImpl(): Promise<void> {
    if (this.#local !== undefined) return this.#local.flush();
    await this.#remote!.service.flush(this.#remote!.id);
  }

  protected async closeImpl(): Promise<void> {
    if (this.#local !== undefined) return this.#local.close();
    await this.#remote!.service.close(this.#remote!.id);
  }
}

function startDefaultWorker(): Worker {
  defaultWorker ??= new Worker(new URL('../../../worker/index.ts', import.meta.url), { type: 'module', name: 'nativefile-io' });
  return defaultWorker;
}
