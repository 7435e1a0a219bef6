/**
 * Node's `zlib` as a codec: gzip, deflate, deflate-raw and brotli, and zstd compression where
 * Node has it (22.15 and later; its zstd decoder is not used: buffer-codecs.ts says why). The
 * module is passed in: it is imported only in Node (zlib-module.ts), so browser bundles never
 * see `node:zlib`. Loaded on first use in Node.
 * @module
 */
import type * as Stream from 'node:stream';
import type * as Zlib from 'node:zlib';
import { corrupt, tooLarge, truncated } from './codec-errors.js';
import type { CodecName } from './names.js';
import { nodeBuiltin } from '../platform/node-builtin.js';
import { concat } from '../util/concat.js';
import type { NodeZlib } from './zlib-module.js';
import type { StreamPair } from './platform.js';
import type { BufferCodec } from './transform.js';

/** A platform transform over a Node transform stream (`Duplex.toWeb`). */
export function nodePair(make: () => Stream.Duplex): () => StreamPair {
  const { Duplex } = nodeBuiltin('node:stream') as typeof Stream;
  return () => Duplex.toWeb(make()) as unknown as StreamPair;
}

/** zlib's options for `name` at `level`. */
function options(zlib: NodeZlib, name: CodecName, level: number | undefined): Zlib.ZlibOptions & Zlib.BrotliOptions {
  if (level === undefined) return {};
  if (name === 'brotli') return { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: level } };
  if (name === 'zstd') {
    return { params: { [zlib.constants.ZSTD_c_compressionLevel!]: level, [zlib.constants.ZSTD_c_checksumFlag!]: 1 } };
  }
  return { level };
}

/** A Node zlib compressor: its transform stream, and how to make it emit what it holds. */
export interface NodeCompression {
  readonly stream: Stream.Duplex;
  /** Emits all the stream holds as output a decoder can read to here (Arrow's Flush), then calls `done`. */
  readonly flush: (done: (error?: Error | null) => void) => void;
}

/** A Node zlib compressor of `name` at `level`. */
export function nodeCompressor(zlib: NodeZlib, name: CodecName, level: number | undefined): NodeCompression {
  const settings = { ...options(zlib, name, level), chunkSize: CHUNK_SIZE };
  const { constants } = zlib;
  // Each stream's own flush (Node's default for zlib is a full flush, which resets the window).
  const [stream, kind] =
    name === 'gzip'
      ? [zlib.createGzip(settings), constants.Z_SYNC_FLUSH]
      : name === 'deflate'
        ? [zlib.createDeflate(settings), constants.Z_SYNC_FLUSH]
        : name === 'deflate-raw'
          ? [zlib.createDeflateRaw(settings), constants.Z_SYNC_FLUSH]
          : name === 'brotli'
            ? [zlib.createBrotliCompress(settings), constants.BROTLI_OPERATION_FLUSH]
            : [zlib.createZstdCompress!(settings), constants.ZSTD_e_flush!];
  return { stream, flush: (done) => stream.flush(kind, done) };
}

/** Output chunks of Node's zlib streams: its default, 16 KiB, costs half the speed in chunk handling. */
const CHUNK_SIZE = 256 * 1024;

/**
 * A Node transform stream that decompresses `name`: gzip (concatenated members included),
 * deflate or deflate-raw (one stream: bytes after it are corrupt data).
 */
export function nodeDecompressor(zlib: NodeZlib, name: 'gzip' | 'deflate' | 'deflate-raw'): Stream.Duplex {
  const settings = { chunkSize: CHUNK_SIZE };
  switch (name) {
    case 'gzip':
      return zlib.createGunzip(settings);
    case 'deflate':
      return oneStream(zlib.createInflate(settings));
    default:
      return oneStream(zlib.createInflateRaw(settings));
  }
}

/**
 * Node's inflate streams stop at the end of their stream and drop the bytes after it without a
 * word; browsers' `DecompressionStream` refuses them. This one refuses them too, as corrupt
 * data: the engine took all of a write unless its stream ended in it (`bytesWritten`).
 */
function oneStream(engine: Zlib.Inflate | Zlib.InflateRaw): Stream.Duplex {
  const { Transform } = nodeBuiltin('node:stream') as typeof Stream;
  let fed = 0;
  let ended = false;
  const output = new Transform({
    transform(chunk: Uint8Array, _encoding, done) {
      fed += chunk.byteLength;
      engine.write(chunk, (error) => {
        const left = fed - engine.bytesWritten;
        done(error ?? (left > 0 ? new Error(`${left} bytes follow the end of the stream`) : null));
      });
    },
    flush(done) {
      engine.end();
      if (ended) done();
      else engine.once('end', () => done());
    },
    destroy(error, done) {
      engine.destroy();
      done(error);
    },
  });
  // The engine pauses while the output is full, and goes on once it is read. A failure
  // (corrupt data) may leave a write without its callback: the output fails with it.
  engine.on('data', (data: Uint8Array) => output.push(data) || engine.pause());
  engine.on('end', () => (ended = true));
  engine.on('error', (error) => output.destroy(error));
  const read = output._read.bind(output);
  output._read = (size) => {
    engine.resume();
    read(size);
  };
  return output;
}

type OneShot = (data: Uint8Array, options: object) => globalThis.Buffer;

/** Whole-buffer compression and decompression of `name` with `zlib`'s synchronous calls. */
export function nodeBufferCodec(zlib: NodeZlib, name: CodecName, level: number | undefined): BufferCodec {
  const [compressSync, decompressSync] = oneShots(zlib, name);
  const settings = options(zlib, name, level);
  return {
    compress: (data) => bytes(compressSync(data, settings)),
    decompress(data, limit) {
      // Brotli's decoder stops at the end of a stream and zlib drops what follows: read each
      // concatenated stream in turn ("info" tells how much input a call used). Inflate's too,
      // but one deflate stream is all there is (browsers' decoders refuse what follows).
      const parts: Uint8Array[] = [];
      let total = 0;
      let offset = 0;
      do {
        const { buffer, engine } = call(decompressSync, data.subarray(offset), limit - total, name);
        total += buffer.byteLength;
        parts.push(bytes(buffer));
        const used = (engine as unknown as { bytesWritten: number }).bytesWritten;
        offset += used > 0 ? used : data.byteLength - offset;
      } while (name === 'brotli' && offset < data.byteLength);
      if (offset < data.byteLength && name !== 'gzip')
        throw corrupt(name, new Error(`${data.byteLength - offset} bytes follow the end of the stream`));
      return concat(parts, total);
    },
  };
}

function call(
  decompressSync: OneShot,
  data: Uint8Array,
  limit: number,
  name: CodecName,
): { buffer: globalThis.Buffer; engine: object } {
  try {
    // `maxOutputLength` must be at least 1; a limit of 0 still lets one byte through, caught below.
    const result = decompressSync(data, {
      info: true,
      maxOutputLength: Math.max(1, Math.min(limit + 1, 2 ** 32)),
    }) as unknown as {
      buffer: globalThis.Buffer;
      engine: object;
    };
    if (result.buffer.byteLength > limit) throw tooLarge(name, limit);
    return result;
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(name, limit);
    if (code === 'Z_BUF_ERROR' || /unexpected end/i.test((cause as Error).message)) throw truncated(name);
    if (cause instanceof Error && cause.name === 'IOError') throw cause;
    throw corrupt(name, cause);
  }
}

function oneShots(zlib: NodeZlib, name: CodecName): [OneShot, OneShot] {
  switch (name) {
    case 'gzip':
      return [zlib.gzipSync, zlib.gunzipSync];
    case 'deflate':
      return [zlib.deflateSync, zlib.inflateSync];
    case 'deflate-raw':
      return [zlib.deflateRawSync, zlib.inflateRawSync];
    case 'brotli':
      return [zlib.brotliCompressSync, zlib.brotliDecompressSync];
    default:
      return [zlib.zstdCompressSync!, zlib.zstdDecompressSync!];
  }
}

/** A Node Buffer's bytes as a plain Uint8Array over the same memory. */
function bytes(buffer: globalThis.Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
