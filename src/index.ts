/**
 * nativefile: Apache Arrow's memory and IO interfaces (Buffer, memory pools, NativeFile and
 * its variants) for browsers, workers and Node.
 * @module
 */
export {
  IOError, ClosedFileError, UnsupportedOperationError, FileNotFoundError, OutOfMemoryError,
  type IOErrorOptions,
} from './errors.js';

export { Buffer, type BytesLike, type SharedBufferDescriptor, type WrapOptions } from './memory/buffer.js';
export { ResizableBuffer } from './memory/resizable-buffer.js';
export { allocateBuffer, type AllocateOptions } from './memory/allocate-buffer.js';
export { ALIGNMENT, type MemoryPool, type MemoryBlock } from './memory/memory-pool.js';
export { systemMemoryPool } from './memory/system-pool.js';
export {
  attachMemoryPool, createWasmMemoryPool, wasmMemoryPool,
  type SharedMemoryPool, type WasmPoolHandle, type WasmPoolOptions,
} from './memory/wasm/wasm-pool.js';
export { loggingMemoryPool, type PoolLogger } from './memory/logging-pool.js';
export { proxyMemoryPool } from './memory/proxy-pool.js';
export {
  defaultMemoryPool, setMemoryPool, totalAllocatedBytes, supportedMemoryBackends,
} from './memory/default-pool.js';

export { NativeFile } from './io/native-file.js';
export type { FileMode, FileModeInput } from './io/file-mode.js';
export type { TransferOptions, UploadSource, DownloadSink } from './io/transfer.js';
export { BufferReader } from './io/backends/buffer-reader.js';
export { BufferOutputStream } from './io/backends/buffer-output-stream.js';
export { FixedSizeBufferWriter } from './io/backends/fixed-size-buffer-writer.js';
export { MockOutputStream } from './io/backends/mock-output-stream.js';
export { OpfsFile, type OpfsOpenOptions } from './io/backends/opfs-file.js';
export { BlobFile, type BlobFileOptions } from './io/backends/blob-file.js';
export { BlobOutputStream, type BlobOutputStreamOptions } from './io/backends/blob-output-stream.js';
export { BufferedInputStream } from './io/backends/buffered-input-stream.js';
export { BufferedOutputStream } from './io/backends/buffered-output-stream.js';
export { CompressedInputStream } from './io/backends/compressed-input-stream.js';
export { CompressedOutputStream } from './io/backends/compressed-output-stream.js';
export {
  JsFile, type DuckReader, type DuckWriter, type FileHandleLike, type FileLike, type NodeReadableLike,
  type NodeWritableLike,
} from './io/backends/js-file.js';
export { fromReadableStream } from './io/backends/readable-stream-file.js';
export { fromWritableStream } from './io/backends/writable-stream-file.js';
export type { Codec } from './io/codec.js';
export { inputStream, outputStream, type InputSource, type OutputSink, type StreamOptions } from './io/open.js';

export { toReadableStream, type ToReadableStreamOptions } from './streams/to-readable-stream.js';
export { toWritableStream, type ToWritableStreamOptions } from './streams/to-writable-stream.js';
