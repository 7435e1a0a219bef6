import { Buffer, type BytesLike } from '../memory/buffer.js';
import { isReadableStream, isWritableStream } from '../platform/stream-guards.js';
import { checkSize, describe } from '../util/validate.js';
import { BlobFile } from './backends/blob-file.js';
import { BufferReader } from './backends/buffer-reader.js';
import { FixedSizeBufferWriter } from './backends/fixed-size-buffer-writer.js';
import { JsFile, type FileLike } from './backends/js-file.js';
import { ReadableStreamFile } from './backends/readable-stream-file.js';
import { WritableStreamFile } from './backends/writable-stream-file.js';
import type { AnyInputStream, AnyOutputStream } from './core/interfaces.js';
import { NativeFile } from './core/native-file.js';
import { BufferedInputStream } from './wrappers/buffered-input-stream.js';
import { BufferedOutputStream } from './wrappers/buffered-output-stream.js';
import { checkCodecName, checkLevel, codecFromPath, type CodecName } from '../codecs/names.js';
import { checkStreamCodec, CompressedInputStream } from './wrappers/compressed-input-stream.js';
import { CompressedOutputStream } from './wrappers/compressed-output-stream.js';

/** Options of {@link inputStream} and {@link outputStream}. */
export interface StreamOptions {
  /**
   * A stream codec, `null` for none, or `'detect'` (the default): from a path's extension
   * (`.gz .bz2 .br .lz4 .zst`, `.deflate`).
   */
  compression?: CodecName | 'detect' | null;
  /** Output only: the compression level (see `CompressedOutputStream`). */
  level?: number;
  /** Wrap in a buffered stream of this many bytes; 0 (the default) for none. */
  bufferSize?: number;
  /** Input only: the most decompressed bytes to accept (see `CompressedInputStream`). */
  maxOutputBytes?: number;
}

/** What {@link inputStream} opens (paths need `nativefile/node`'s `inputStream`). */
export type InputSource = NativeFile | BytesLike | Blob | ReadableStream | FileLike;
/** What {@link outputStream} opens (paths need `nativefile/node`'s `outputStream`). */
export type OutputSink = NativeFile | BytesLike | WritableStream<Uint8Array> | FileLike;

/** Opens a path; given by the Node entry point, absent elsewhere. */
export type PathOpener = (path: string, mode: 'rb' | 'wb') => NativeFile;

/**
 * A readable stream over whatever the caller has (PyArrow `input_stream`): a Buffer or
 * bytes, a Blob or File, a ReadableStream, a readable file (returned as is when nothing wraps
 * it), or a file-like object. Decompresses and buffers as asked. Paths: `nativefile/node`.
 */
export function inputStream(source: InputSource, options: StreamOptions = {}): AnyInputStream {
  return openInput(source, options, undefined);
}

/**
 * A writable stream to whatever the caller has (PyArrow `output_stream`): a mutable Buffer or
 * bytes (written in place), a WritableStream, a writable file, or a file-like object.
 * Compresses and buffers as asked. Paths: `nativefile/node`.
 */
export function outputStream(sink: OutputSink, options: StreamOptions = {}): AnyOutputStream {
  return openOutput(sink, options, undefined);
}

/** @internal {@link inputStream}, with paths opened by `openPath` where given. */
export function openInput(source: unknown, options: StreamOptions, openPath: PathOpener | undefined): AnyInputStream {
  const bufferSize = checkSize(options.bufferSize ?? 0, 'options.bufferSize');
  const path = pathOf(source, openPath);
  // Checked before a path is opened, so that a refusal leaves no descriptor open.
  const codec = chooseCodec(options.compression, path);
  if (codec !== undefined) checkStreamCodec(codec);
  if (options.maxOutputBytes !== undefined) checkSize(options.maxOutputBytes, 'options.maxOutputBytes');
  let file: NativeFile;
  if (path !== undefined) {
    file = openPath!(path, 'rb');
  } else if (source instanceof NativeFile) {
    if (!source.readable()) throw new TypeError(`readable file expected, got one in mode '${source.mode}'`);
    file = source;
  } else if (isBytes(source)) {
    file = new BufferReader(source) as unknown as NativeFile;
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    file = new BlobFile(source) as unknown as NativeFile;
  } else if (isReadableStream(source)) {
    file = new ReadableStreamFile(source) as unknown as NativeFile;
  } else if (typeof source === 'object' && source !== null) {
    file = new JsFile(source as FileLike, 'rb') as unknown as NativeFile;
  } else {
    throw new TypeError(`cannot read from ${describe(source)}${typeof source === 'string' ? pathHint : ''}`);
  }
  if (codec !== undefined) {
    file = new CompressedInputStream(file, codec, { maxOutputBytes: options.maxOutputBytes }) as unknown as NativeFile;
  }
  return bufferSize > 0 ? new BufferedInputStream(file, bufferSize) : file;
}

/** @internal {@link outputStream}, with paths opened by `openPath` where given. */
export function openOutput(sink: unknown, options: StreamOptions, openPath: PathOpener | undefined): AnyOutputStream {
  const bufferSize = checkSize(options.bufferSize ?? 0, 'options.bufferSize');
  const path = pathOf(sink, openPath);
  // Checked before a path is opened: opening it 'wb' empties the file there.
  const codec = chooseCodec(options.compression, path);
  if (codec !== undefined) {
    const checked = checkStreamCodec(codec);
    if (options.level !== undefined) checkLevel(checked, options.level);
  }
  let file: NativeFile;
  if (path !== undefined) {
    file = openPath!(path, 'wb');
  } else if (sink instanceof NativeFile) {
    if (!sink.writable()) throw new TypeError(`writable file expected, got one in mode '${sink.mode}'`);
    file = sink;
  } else if (isBytes(sink)) {
    file = new FixedSizeBufferWriter(sink instanceof Buffer ? sink : Buffer.wrap(sink)) as unknown as NativeFile;
  } else if (isWritableStream(sink)) {
    file = new WritableStreamFile(sink as WritableStream<Uint8Array>) as unknown as NativeFile;
  } else if (typeof sink === 'object' && sink !== null) {
    file = new JsFile(sink as FileLike, 'wb') as unknown as NativeFile;
  } else {
    throw new TypeError(`cannot write to ${describe(sink)}${typeof sink === 'string' ? pathHint : ''}`);
  }
  if (codec !== undefined) {
    file = new CompressedOutputStream(file, codec, { level: options.level }) as unknown as NativeFile;
  }
  return bufferSize > 0 ? new BufferedOutputStream(file, bufferSize) : file;
}

const pathHint = ": paths are opened by the inputStream/outputStream of 'nativefile/node'";

function pathOf(value: unknown, openPath: PathOpener | undefined): string | undefined {
  if (openPath === undefined || (typeof value !== 'string' && !(value instanceof URL))) return undefined;
  return value instanceof URL ? decodeURIComponent(value.pathname) : value;
}

function isBytes(value: unknown): value is BytesLike {
  return (
    value instanceof Buffer ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)
  );
}

function chooseCodec(compression: StreamOptions['compression'], path: string | undefined): CodecName | undefined {
  if (compression === null) return undefined;
  if (compression === undefined || compression === 'detect')
    return path === undefined ? undefined : (codecFromPath(path) ?? undefined);
  return checkCodecName(compression, 'compression');
}
