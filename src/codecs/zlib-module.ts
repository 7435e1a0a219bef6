/**
 * Finds Node's `zlib` where the program runs in Node (or a runtime that has it) through
 * `process.getBuiltinModule` (Node 20.16 and later): no `import` of a Node built-in, so
 * browser bundles have none, and bundlers have nothing to resolve.
 * @module
 */
import type * as Zlib from 'node:zlib';
import { nodeBuiltin } from '../platform/node-builtin.js';
import type { CodecName } from './names.js';

/** The `zlib` module, with zstd where this Node has it. */
export type NodeZlib = typeof Zlib & {
  zstdCompressSync?: (data: Uint8Array, options?: object) => globalThis.Buffer;
  zstdDecompressSync?: (data: Uint8Array, options?: object) => globalThis.Buffer;
  createZstdCompress?: (options?: object) => Zlib.BrotliCompress;
  createZstdDecompress?: (options?: object) => Zlib.BrotliDecompress;
  constants: typeof Zlib.constants & { ZSTD_c_compressionLevel?: number; ZSTD_c_checksumFlag?: number; ZSTD_e_flush?: number };
};

/** Node's `zlib` in Node (and runtimes that have it), `undefined` elsewhere. */
export function importNodeZlib(): Promise<NodeZlib | undefined> {
  return Promise.resolve(nodeBuiltin('node:zlib') as NodeZlib | undefined);
}

/** Whether `zlib` has `name` (zstd only from Node 22.15); its zstd is used to compress only (buffer-codecs.ts). */
export function zlibHas(zlib: NodeZlib, name: CodecName): boolean {
  if (name === 'zstd') return typeof zlib.zstdCompressSync === 'function' && typeof zlib.createZstdCompress === 'function';
  return name === 'gzip' || name === 'deflate' || name === 'deflate-raw' || name === 'brotli';
}
