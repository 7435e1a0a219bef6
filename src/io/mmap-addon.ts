import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IOError } from '../errors.js';

/**
 * The functions of the native memory-map addon (addon/mmap.c). Errors it throws carry a string
 * `code`: an errno name for failed system calls (`'EBADF'`, `'EACCES'`, `'ENODEV'`,
 * `'ENOMEM'`, ... with `errno` and `syscall`), `'EINVAL'` for bad arguments (a `TypeError` for
 * a wrong type, a `RangeError` for a number out of range) and `'ESTALE'` from `sync` on a stale
 * mapping.
 * @internal
 */
export interface MmapAddon {
  /** Version of this interface; the loader refuses a build with another one. */
  readonly apiVersion: number;
  /** How many mappings may be alive at once in the process; `map` throws ENOMEM past it. */
  readonly maxMappings: number;
  /**
   * Maps `length` (> 0) bytes of `fd` from `offset` (a multiple of {@link MmapAddon.pageSize}).
   * Writable maps are shared (writes reach the file); read-only maps are private
   * copy-on-write (writes change memory only). The mapping is unmapped when the returned
   * ArrayBuffer is garbage-collected; `fd` may be closed at once.
   */
  map(fd: number, offset: number, length: number, writable: boolean): ArrayBuffer;
  /** msync(MS_SYNC) of `[offset, offset + length)` of a mapping; throws ESTALE if it is stale. */
  sync(mapping: ArrayBuffer, offset: number, length: number): void;
  /**
   * {@link MmapAddon.sync} on libuv's thread pool, so the event loop keeps turning while the
   * kernel writes. Arguments and staleness are checked at the call (it throws as `sync`
   * does); the promise rejects with msync's error. The addon holds `mapping` until msync
   * returns: it cannot be collected, and so unmapped, under it.
   */
  syncAsync(mapping: ArrayBuffer, offset: number, length: number): Promise<void>;
  /**
   * Whether an access through this mapping touched pages past the end of the file (it shrank
   * after mapping) and was answered with zeros instead of killing the process with SIGBUS.
   * Once true, it stays true.
   */
  isStale(mapping: ArrayBuffer): boolean;
  /** The system page size in bytes. */
  pageSize(): number;
}

/** The `apiVersion` this loader expects from addon/mmap.c. */
const API_VERSION = 3;

/** node-gyp-build's CommonJS entry: loads `build/Release`, else `prebuilds/<platform>-<arch>/`. */
interface NodeGypBuild {
  (directory: string): unknown;
  /** The path of the binary `(directory)` would load; throws if there is none. */
  path(directory: string): string;
}

let addon: MmapAddon | undefined;

/**
 * The package's root folder: two levels above this module in the sources (src/io/), three in
 * the build (dist/src/io/, one file per module). Found by the package.json named nativefile,
 * not by assuming.
 */
function packageRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const directory = resolve(here, up);
    try {
      const manifest: unknown = JSON.parse(readFileSync(resolve(directory, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === 'nativefile') {
        return directory;
      }
    } catch {
      // No package.json there: try the next level.
    }
  }
  return undefined;
}

function notAvailable(reason: string, cause?: unknown): IOError {
  return new IOError(
    `memory maps need nativefile's native addon, and ${reason}. Build it from source: ` +
      '`npx node-gyp rebuild` in the nativefile package folder, or `npm rebuild nativefile` in your project ' +
      '(it needs python3, make and a C compiler).',
    { code: 'ENOSYS', cause },
  );
}

function isMmapAddon(value: unknown): value is MmapAddon {
  return typeof value === 'object' && value !== null && 'apiVersion' in value && 'syncAsync' in value;
}

/**
 * The memory-map addon, loaded once: a local build (build/Release) if there is one, else the
 * prebuilt binary shipped in prebuilds/. Throws an {@link IOError} with code `'ENOSYS'` that
 * says how to build it when neither loads.
 * @internal
 */
export function mmapAddon(): MmapAddon {
  if (addon !== undefined) return addon;
  const root = packageRoot();
  if (root === undefined) throw notAvailable('the nativefile package folder was not found');
  let loaded: unknown;
  let path = root;
  try {
    // A runtime require, so bundlers leave node-gyp-build (CommonJS) and the binary alone.
    const nodeGypBuild = createRequire(import.meta.url)('node-gyp-build') as NodeGypBuild;
    path = nodeGypBuild.path(root);
    loaded = nodeGypBuild(root);
  } catch (error) {
    throw notAvailable(`none loads for ${process.platform}-${process.arch} (${(error as Error).message.trim()})`, error);
  }
  if (!isMmapAddon(loaded) || loaded.apiVersion !== API_VERSION) {
    throw notAvailable(`the one at ${path} is from another version of nativefile (need API ${API_VERSION})`);
  }
  addon = loaded;
  return addon;
}
