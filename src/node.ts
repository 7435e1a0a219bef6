/**
 * The Node entry point: everything in `nativefile`, plus the Node-only backends: `OSFile` and
 * memory maps. Importing it also lets `inputStream`/`outputStream` open paths.
 * @module
 */
import { OSFile } from './io/backends/os-file.js';
import { registerPathOpener } from './io/open.js';

export * from './index.js';
export { OSFile } from './io/backends/os-file.js';
export { createMemoryMap, memoryMap, MemoryMappedFile } from './io/backends/memory-mapped-file.js';

registerPathOpener((path, mode) => new OSFile(path, mode));
