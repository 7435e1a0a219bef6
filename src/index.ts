/**
 * nativefile: Apache Arrow's memory and IO interfaces (Buffer, memory pools, NativeFile and
 * its variants) for browsers, workers and Node.
 * @module
 */
export {
  IOError,
  ClosedFileError,
  UnsupportedOperationError,
  FileNotFoundError,
  OutOfMemoryError,
  type IOErrorOptions,
} from './errors.js';

export { Buffer, type BytesLike, type WrapOptions } from './memory/buffer.js';
export type { SharedBufferDescriptor } from './memory/shared-buffer-descriptor.js';
export { ResizableBuffer } from './memory/resizable-buffer.js';
export { allocateBuffer, type AllocateOptions } from './memory/allocate-buffer.js';
export { ALIGNMENT, type MemoryPool, type MemoryBlock } from './memory/memory-pool.js';
export { systemMemoryPool } from './memory/system-pool.js';
export { attachMemoryPool, createWasmMemoryPool, wasmMemoryPool } from './memory/wasm/wasm-pool.js';
export type { SharedMemoryPool, WasmPoolHandle, WasmPoolOptions } from './memory/wasm/wasm-pool-types.js';
export { loggingMemoryPool, type PoolLogger } from './memory/logging-pool.js';
export { proxyMemoryPool } from './memory/proxy-pool.js';
export { defaultMemoryPool, setMemoryPool, totalAllocatedBytes, supportedMemoryBackends } from './memory/default-pool.js';

export { NativeFile } from './io/core/native-file.js';
export type { FileMode, FileModeInput } from './util/file-mode.js';
export type { TransferOptions, UploadSource, DownloadSink, TransferReader, TransferWriter } from './io/core/transfer.js';
export type { RawBytes } from './util/validate.js';
export type { UnderlyingFile, ByteRange, Awaitable } from './io/core/underlying.js';
export type { FileTraits } from './io/core/file-traits.js';
export type {
  FileInterface,
  InputStream,
  OutputStream,
  RandomAccessFile,
  WritableFile,
  ReadWriteFile,
  SyncFileInterface,
  SyncInputStream,
  SyncOutputStream,
  SyncRandomAccessFile,
  SyncWritableFile,
  SyncReadWriteFile,
  Async,
  AnyInputStream,
  AnyOutputStream,
  AnyRandomAccessFile,
  AnyReadWriteFile,
  LinesOptions,
} from './io/core/interfaces.js';
export { fileClass, type FileClass } from './io/core/file-class.js';
export { BufferReader } from './io/backends/buffer-reader.js';
export { BufferOutputStream } from './io/backends/buffer-output-stream.js';
export { FixedSizeBufferWriter } from './io/backends/fixed-size-buffer-writer.js';
export { MockOutputStream } from './io/backends/mock-output-stream.js';
export {
  OpfsFile,
  type OpfsOpenOptions,
  type OpfsFileFor,
  type OpfsFileInfo,
  type OpfsTruncate,
  type OpfsTruncateSync,
  type OpfsReader,
  type OpfsWriter,
  type OpfsAppender,
  type OpfsReadWriter,
  type OpfsBackendChoice,
  type OpfsBackendName,
} from './io/backends/opfs-file.js';
export { BlobFile, type BlobFileOptions } from './io/backends/blob-file.js';
export { BlobOutputStream, type BlobOutputStreamOptions } from './io/backends/blob-output-stream.js';
export {
  JsFile,
  type JsFileConstructor,
  type DuckReader,
  type DuckWriter,
  type FileHandleLike,
  type FileLike,
  type NodeReadableLike,
  type NodeWritableLike,
  type SeekableDuckReader,
} from './io/backends/js-file.js';
export {
  BufferedInputStream,
  type BufferedInput,
  type BufferedInputStreamConstructor,
} from './io/wrappers/buffered-input-stream.js';
export {
  BufferedOutputStream,
  type BufferedOutput,
  type BufferedOutputStreamConstructor,
} from './io/wrappers/buffered-output-stream.js';
export { CompressedInputStream, type CompressedInputOptions } from './io/wrappers/compressed-input-stream.js';
export { CompressedOutputStream, type CompressedOutputOptions } from './io/wrappers/compressed-output-stream.js';
export { Codec, compress, decompress, type CodecOptions, type CompressOptions, type DecompressOptions } from './codecs/codec.js';
export type { CodecName } from './codecs/names.js';
export { getStream } from './io/wrappers/get-stream.js';
export { transcodingInputStream } from './io/wrappers/transcoding-input-stream.js';
export { inputStream, outputStream, type InputSource, type OutputSink, type StreamOptions } from './io/open.js';

export { toReadableStream, type ToReadableStreamOptions } from './adapters/web-streams/to-readable-stream.js';
export { toWritableStream, type ToWritableStreamOptions } from './adapters/web-streams/to-writable-stream.js';
export { fromReadableStream } from './adapters/web-streams/from-readable-stream.js';
export { fromWritableStream } from './adapters/web-streams/from-writable-stream.js';

export * from './remote/index.js';
export * from './fs/index.js';
export { asyncBufferOf, type AsyncBufferLike, type RangeReadable } from './adapters/hyparquet.js';
export {
  parquetCompressors,
  parquetDecompressors,
  type ParquetCodecName,
  type ParquetCompressors,
  type ParquetDecompressors,
} from './adapters/parquet-compressors.js';
export {
  zipReaderOf,
  zipWriterOf,
  type ZipReadable,
  type ZipWritable,
  type ZipJsReader,
  type ZipJsWriter,
} from './adapters/zipjs.js';
export {
  recordBatchReaderOf,
  writeIpc,
  type ArrowFileHandle,
  type IpcReadable,
  type IpcWritable,
  type RecordBatchReaderClass,
} from './adapters/arrow.js';
export { arrowIpcCodec, type ArrowIpcCodec } from './adapters/arrow-compression.js';
