/**
 * Which OPFS backend serves an open, and opening it: sync access handles here (a dedicated
 * worker), the IO worker's (a page that can start one), or the asynchronous API here
 * (everywhere else: shared and service workers, WebKit, pages that cannot start workers).
 * @module
 */
import { UnsupportedOperationError, type IOError } from '../../errors.js';
import { AsyncAccess } from '../../opfs/async-access.js';
import { WorkerConnection } from '../../opfs/connection.js';
import { handleOf, loadDefaultPool, loadSharablePool } from '../../opfs/pool-loader.js';
import { lacksSyncAccess } from '../../opfs/access-options.js';
import { workerBlockedByPolicy } from '../../opfs/worker-policy.js';
import type { Buffer } from '../../memory/buffer.js';
import type { WorkerInstance } from '../../platform/globals.js';
import { requireOpfs } from '../../platform/opfs-root.js';
import type { FileMode } from '../../util/file-mode.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { asyncOpfs } from './opfs-async.js';
import { remoteOpfs } from './opfs-remote.js';

/**
 * Which backend an open OPFS file uses: `'sync'`, a sync access handle in this worker;
 * `'worker'`, the IO worker's sync access handle; `'async'`, `getFile()` and
 * `createWritable()` in this context.
 */
export type OpfsBackendName = 'sync' | 'worker' | 'async';

/**
 * The backend an open asks for: `'auto'` chooses (see {@link OpfsFile.open}); `'sync'` insists
 * on sync access handles (here in a worker, else through the IO worker); `'async'` uses the
 * asynchronous API in this context.
 */
export type OpfsBackendChoice = 'auto' | 'sync' | 'async';

/** What {@link openOpfsBackend} needs besides the path and mode. */
export interface OpfsBackendRequest {
  readonly choice: OpfsBackendChoice;
  readonly worker: WorkerInstance | undefined;
  readonly atomic: boolean;
  readonly wait: boolean;
  readonly signal: AbortSignal | undefined;
  readonly startTimeout: number | undefined;
}

/** An opened backend, as `OpfsFile` needs it. */
export interface OpenedOpfs {
  readonly name: OpfsBackendName;
  readonly backend: UnderlyingFile;
  /** The async face of a synchronous backend. */
  readonly async?: UnderlyingFile;
  /** The size at open (where `'ab'` starts). */
  readonly size: number;
  /** The size without I/O, for seeks from the end of an asynchronous file. */
  readonly knownSize?: () => number;
  /**
   * Where `readBuffer` gets memory: the default pool for sync access handles, a shared pool
   * for the IO worker (it reads straight into it); none for the async backend, whose reads
   * are fresh memory already.
   */
  readonly allocate?: (size: number) => Buffer;
  /** Closes the file when `owner` is collected without being closed. */
  watch?(owner: object): void;
}

const scope = globalThis as { WorkerGlobalScope?: unknown; FileSystemSyncAccessHandle?: unknown; Worker?: unknown };
const inWorker = (): boolean => typeof scope.WorkerGlobalScope !== 'undefined';
/** Dedicated workers only: shared and service workers do not expose the interface. */
const hasSyncAccess = (): boolean => typeof scope.FileSystemSyncAccessHandle !== 'undefined';
const canStartWorkers = (): boolean => typeof scope.Worker === 'function';

/** Set once sync access handles turned out not to work here (WebKitGTK has the method, not the backend). */
let syncAccessFails = false;

/** Opens `path` on the backend `request` asks for, or the one that works here. */
export async function openOpfsBackend(path: string, mode: FileMode, request: OpfsBackendRequest): Promise<OpenedOpfs> {
  requireOpfs(`OpfsFile.open(${JSON.stringify(path)})`);
  const { choice, worker, signal } = request;
  const options = { atomic: request.atomic, wait: request.wait, ...(signal ? { signal } : {}) };
  const auto = choice === 'auto';
  if (choice === 'async') return openAsync(path, mode, options);
  const skipSync = auto && syncAccessFails;
  try {
    // A worker the app gives is always asked (its failure is the app's to know), and falls
    // back as the package's own does where it has no sync access handles (WebKitGTK).
    if (worker !== undefined) return await openRemote(path, mode, request, worker);
    if (inWorker() && hasSyncAccess() && !skipSync) {
      // Loaded here only: a page's bundle need not carry sync access handles for its workers.
      const [local, pool] = await Promise.all([import('./opfs-local.js'), loadDefaultPool()]);
      const { sync, async, size, watch } = await local.openLocalOpfs(path, mode, options);
      return { name: 'sync', backend: sync, async, size, allocate: (bytes) => pool().allocate(bytes), watch };
    }
    // A page starts the IO worker; a shared or service worker cannot (or it never answers).
    if (!inWorker() && canStartWorkers() && !skipSync) return await openRemote(path, mode, request, undefined);
  } catch (error) {
    // Only an automatic choice falls back: when sync handles do not work here (WebKitGTK), or
    // when the page may not start a worker (its CSP forbids them: WebKit throws SecurityError,
    // Chromium and Firefox fail the worker as if its script were missing; worker-policy.ts).
    const code = (error as IOError).code;
    const fallback =
      lacksSyncAccess(error) ||
      (error as DOMException).name === 'SecurityError' ||
      (code === 'EWORKER' && (await workerBlockedByPolicy()));
    if (!auto || !fallback) throw error;
    if (lacksSyncAccess(error)) syncAccessFails = true;
    return openAsync(path, mode, options);
  }
  if (!auto) {
    throw new UnsupportedOperationError(
      `no sync access handles here and no Worker to reach them: cannot open ${path} with backend 'sync'`,
    );
  }
  return openAsync(path, mode, options);
}

async function openRemote(
  path: string,
  mode: FileMode,
  request: OpfsBackendRequest,
  worker: WorkerInstance | undefined,
): Promise<OpenedOpfs> {
  const connection = WorkerConnection.of(worker, request.startTimeout);
  const pool = await loadSharablePool();
  const opened = await connection.call('open', { path, mode, atomic: request.atomic, wait: request.wait }, [], request.signal);
  const backend = remoteOpfs(connection, opened.file, opened.size, pool);
  const shared = pool !== undefined && handleOf(pool()) !== undefined;
  return {
    name: 'worker',
    backend,
    size: opened.size,
    ...(shared ? { allocate: (size: number) => pool().allocate(size) } : {}),
    knownSize: () => backend.knownSize,
    watch: (owner) => backend.watch(owner),
  };
}

async function openAsync(
  path: string,
  mode: FileMode,
  options: { atomic: boolean; wait: boolean; signal?: AbortSignal },
): Promise<OpenedOpfs> {
  const access = await AsyncAccess.open(path, mode, options);
  const backend = asyncOpfs(access);
  return {
    name: 'async',
    backend,
    size: access.size(),
    knownSize: () => backend.knownSize,
    watch: (owner) => backend.watch(owner),
  };
}
