/**
 * The Node entry point: everything in `nativefile`, plus the Node-only backends (`OSFile`,
 * memory maps) and an `inputStream`/`outputStream` that also open paths. Nothing registers
 * itself: these are plain additions, so importing either entry first changes nothing.
 * @module
 */
export * from './index.js';
export {
  OSFile,
  type OSFileConstructor,
  type OSFileMembers,
  type OSInputFile,
  type OSOutputFile,
} from './io/backends/os-file.js';
export { createMemoryMap, memoryMap, MemoryMappedFile } from './io/backends/memory-mapped-file.js';
export { LocalFileSystem } from './fs/local/local-file-system.js';
// These take the place of the ones `export *` brings: an explicit export wins.
export { inputStream, outputStream } from './io/node-open.js';
export { resumableUpload } from './fs/uploads/resumable-upload-node.js';
