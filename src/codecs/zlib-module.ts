/**
 * Finds Node's `zlib` where the program runs in Node (or a runtime that has it), without
 * naming it to bundlers: browser bundles never see `node:zlib`.
 * @module
 */
import type * as Zlib from 'node:zlib';
import type { CodecName } from './names.js';

/** The `zlib` module, with zstd where this Node has it. */
export type NodeZlib = typeof Zlib & {
  zstdCompressSync?: (data: Uint8Array, options?: object) => globalThis.Buffer;
  zstdDecompressSync?: (data: Uint8Array, options?: object) => globalThis.Buffer;
  createZstdCompress?: (options?: object) => Zlib.BrotliCompress;
  createZstdDecompress?: (options?: object) => Zlib.BrotliDecompress;
  constants: typeof Zlib.constants & { ZSTD_c_compressionLevel?: number; ZSTD_c_checksumFlag?: number };
};

const ZLIB = 'node:zlib';
let loaded: Promise<NodeZlib | undefined> | undefined;

/** Node's `zlib` in Node (and runtimes that have it), `undefined` elsewhere. */
export function importNodeZlib(): Promise<NodeZlib | undefined> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  loaded ??= isNode
    ? (import(/* webpackIgnore: true */ /* @vite-ignore */ ZLIB) as Promise<NodeZlib>).catch(() => undefined)
    : Promise.resolve(undefined);
  return loaded;
}

/** Whether `zlib` has `name` (zstd only from Node 22.15). */
export function zlibHas(zlib: NodeZlib, name: CodecName): boolean {
  if (name === 'zstd') return typeof zlib.zstdDecompressSync === 'function' && typeof zlib.createZstdDecompress === 'function';
  return name === 'gzip' || name === 'deflate' || name === 'deflate-raw' || name === 'brotli';
}
