import { Buffer, type BytesLike } from '../memory/buffer.js';
import { isReadableStream, isWritableStream } from '../streams/web-streams.js';
import { checkSize, describe } from '../util/validate.js';
import { BlobFile } from './backends/blob-file.js';
import { BufferReader } from './backends/buffer-reader.js';
import { BufferedInputStream } from './backends/buffered-input-stream.js';
import { BufferedOutputStream } from './backends/buffered-output-stream.js';
import { CompressedInputStream } from './backends/compressed-input-stream.js';
import { CompressedOutputStream } from './backends/compressed-output-stream.js';
import { FixedSizeBufferWriter } from './backends/fixed-size-buffer-writer.js';
import { JsFile, type FileLike } from './backends/js-file.js';
import { fromReadableStream } from './backends/readable-stream-file.js';
import { fromWritableStream } from './backends/writable-stream-file.js';
import { checkCodec, codecFromPath, type Codec } from './codec.js';
import { NativeFile } from './native-file.js';

/** Options of {@link inputStream} and {@link outputStream}. */
export interface StreamOptions {
  /** A codec, `null` for none, or `'detect'` (the default): from a path's extension. */
  compression?: Codec | 'detect' | null;
  /** Wrap in a buffered stream of this many bytes; 0 (the default) for none. */
  bufferSize?: number;
}

/** What {@link inputStream} opens. Paths need `nativefile/node`. */
export type InputSource = string | URL | NativeFile | BytesLike | Blob | ReadableStream | FileLike;
/** What {@link outputStream} opens. Paths need `nativefile/node`. */
export type OutputSink = string | URL | NativeFile | BytesLike | WritableStream<Uint8Array> | FileLike;

type PathOpener = (path: string | URL, mode: 'rb' | 'wb') => NativeFile;
let openPath: PathOpener | undefined;

/** @internal Lets `nativefile/node` open paths (OS files) here. */
export function registerPathOpener(opener: PathOpener): void {
  openPath = opener;
}

/**
 * A readable stream over whatever the caller has (PyArrow `input_stream`): a path (Node), a
 * Buffer or bytes, a Blob or File, a ReadableStream, a readable NativeFile (returned as is
 * when nothing wraps it), or a file-like object. Decompresses and buffers as asked.
 */
export function inputStream(source: InputSource, options: StreamOptions = {}): NativeFile {
  const bufferSize = checkSize(options.bufferSize ?? 0, 'options.bufferSize');
  const isPath = typeof source === 'string' || source instanceof URL;
  let file: NativeFile;
  if (isPath) {
    file = pathFile(source, 'rb');
  } else if (source instanceof NativeFile) {
    if (!source.readable()) throw new TypeError(`readable file expected, got one in mode '${source.mode}'`);
    file = source;
  } else if (source instanceof Buffer || source instanceof ArrayBuffer || ArrayBuffer.isView(source) ||
    (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) {
    file = new BufferReader(source);
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    file = new BlobFile(source);
  } else if (isReadableStream(source)) {
    file = fromReadableStream(source);
  } else if (typeof source === 'object' && source !== null) {
    file = new JsFile(source as FileLike, 'rb');
  } else {
    throw new TypeError(`cannot read from ${describe(source)}`);
  }
  const codec = chooseCodec(options.compression, isPath ? String(source) : undefined);
  if (codec !== undefined) file = new CompressedInputStream(file, codec);
  return bufferSize > 0 ? new BufferedInputStream(file, bufferSize) : file;
}

/**
 * A writable stream to whatever the caller has (PyArrow `output_stream`): a path (Node), a
 * mutable Buffer or bytes (written in place), a WritableStream, a writable NativeFile, or a
 * file-like object. Compresses and buffers as asked.
 */
export function outputStream(sink: OutputSink, options: StreamOptions = {}): NativeFile {
  const bufferSize = checkSize(options.bufferSize ?? 0, 'options.bufferSize');
  const isPath = typeof sink === 'string' || sink instanceof URL;
  let file: NativeFile;
  if (isPath) {
    file = pathFile(sink, 'wb');
  } else if (sink instanceof NativeFile) {
    if (!sink.writable()) throw new TypeError(`writable file expected, got one in mode '${sink.mode}'`);
    file = sink;
  } else if (sink instanceof Buffer) {
    file = new FixedSizeBufferWriter(sink);
  } else if (sink instanceof ArrayBuffer || ArrayBuffer.isView(sink) ||
    (typeof SharedArrayBuffer !== 'undefined' && sink instanceof SharedArrayBuffer)) {
    file = new FixedSizeBufferWriter(Buffer.wrap(sink));
  } else if (isWritableStream(sink)) {
    file = fromWritableStream(sink as WritableStream<Uint8Array>);
  } else if (typeof sink === 'object' && sink !== null) {
    file = new JsFile(sink as FileLike, 'wb');
  } else {
    throw new TypeError(`cannot write to ${describe(sink)}`);
  }
  const codec = chooseCodec(options.compression, isPath ? String(sink) : undefined);
  if (codec !== undefined) file = new CompressedOutputStream(file, codec);
  return bufferSize > 0 ? new BufferedOutputStream(file, bufferSize) : file;
}

function pathFile(path: string | URL, mode: 'rb' | 'wb'): NativeFile {
  if (openPath === undefined) {
    throw new TypeError(`cannot open the path ${describe(String(path))} here: import from 'nativefile/node' to open OS files`);
  }
  return openPath(path, mode);
}

function chooseCodec(compression: StreamOptions['compression'], path: string | undefined): Codec | undefined {
  if (compression === null) return undefined;
  if (compression === undefined || compression === 'detect') return path === undefined ? undefined : codecFromPath(path);
  return checkCodec(compression);
}
