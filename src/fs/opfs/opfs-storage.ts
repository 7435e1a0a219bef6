/**
 * The origin's storage as a whole, for {@link OpfsFileSystem}: how much it uses, its quota,
 * and whether the browser may evict it (`navigator.storage`).
 * @module
 */
import { UnsupportedOperationError } from '../../errors.js';
import { requireOpfs } from '../../platform/opfs-root.js';
import { untilAborted } from '../../util/until-aborted.js';
import { describe } from '../../util/validate.js';

/** What {@link OpfsFileSystem.estimate} reports, in bytes. */
export interface OpfsStorageEstimate {
  /** Bytes the origin uses: OPFS and its other storage (IndexedDB, Cache API...) together. */
  readonly usage: number;
  /** The most the origin may use: a write past it fails with an `ENOSPC` IOError. */
  readonly quota: number;
  /** `quota - usage` (never below 0): about how much more fits. */
  readonly available: number;
  /**
   * Usage by kind of storage, where the browser says (Chromium: `fileSystem` is OPFS, with
   * `indexedDB`, `caches`, `serviceWorkerRegistrations`); absent elsewhere.
   */
  readonly usageDetails?: Readonly<Record<string, number>>;
}

/** Options of {@link OpfsFileSystem.persist}. */
export interface PersistOptions {
  /** Stops waiting for the answer (Firefox asks the user): `persist` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** `navigator.storage`, with `name` in the error where a method is missing. */
function storage(name: 'estimate' | 'persist' | 'persisted'): StorageManager {
  requireOpfs(`OpfsFileSystem.${name}()`);
  const manager = navigator.storage;
  if (typeof manager[name] !== 'function')
    throw new UnsupportedOperationError(`this browser has no navigator.storage.${name}() (for OpfsFileSystem.${name}())`);
  return manager;
}

/** `navigator.storage.estimate()`, with `available` added. */
export async function estimateStorage(): Promise<OpfsStorageEstimate> {
  const estimate = (await storage('estimate').estimate()) as StorageEstimate & { usageDetails?: Record<string, number> };
  const usage = estimate.usage ?? 0;
  const quota = estimate.quota ?? 0;
  const details = estimate.usageDetails;
  return {
    usage,
    quota,
    available: Math.max(0, quota - usage),
    ...(details !== undefined ? { usageDetails: { ...details } } : {}),
  };
}

/** `navigator.storage.persist()`, which `signal` can stop waiting for. */
export async function persistStorage(options: PersistOptions = {}): Promise<boolean> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new TypeError(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  return untilAborted(storage('persist').persist(), signal);
}

/** `navigator.storage.persisted()`. */
export async function storagePersisted(): Promise<boolean> {
  return storage('persisted').persisted();
}
