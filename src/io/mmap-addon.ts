import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { IOError } from '../errors.js';

/** The C ABI of addon/mmap.c. */
export interface MmapAddon {
  map(fd: number, offset: number, length: number, writable: boolean): ArrayBuffer;
  sync(mapping: ArrayBuffer, offset: number, length: number): void;
  pageSize(): number;
}

/** Where node-gyp puts the addon, seen from src/io/ (sources) and from dist/ (the build). */
const CANDIDATES = ['../../build/Release/nativefile_mmap.node', '../build/Release/nativefile_mmap.node'];

let addon: MmapAddon | undefined;

/** The memory-map addon; an {@link IOError} that says how to build it if it is missing. */
export function mmapAddon(): MmapAddon {
  if (addon !== undefined) return addon;
  const path = CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url))).find(existsSync);
  if (path === undefined) {
    throw new IOError(
      'memory maps need nativefile\'s native addon, which is not built. Build it with ' +
        '`npx node-gyp rebuild` in the nativefile package (it needs python3, make and a C compiler).',
      { code: 'ENOSYS' },
    );
  }
  addon = createRequire(import.meta.url)(path) as MmapAddon;
  return addon;
}
