/**
 * The reference command-line tools the codec tests check against (Debian's gzip, bzip2,
 * brotli, lz4, zstd; `.ci/run` installs them), and the sample the tests compress.
 * @module
 */
import { execFileSync } from 'node:child_process';
import type { CodecName } from '../../src/index.js';

/** The stream codecs that have a reference tool, and how to run it (input on stdin, output on stdout). */
export const TOOLS: {
  readonly [name in 'gzip' | 'bz2' | 'brotli' | 'lz4' | 'zstd']: { compress: string[]; decompress: string[] };
} = {
  gzip: { compress: ['gzip', '-c'], decompress: ['gzip', '-dc'] },
  bz2: { compress: ['bzip2', '-c'], decompress: ['bzip2', '-dc'] },
  brotli: { compress: ['brotli', '-c'], decompress: ['brotli', '-dc'] },
  lz4: { compress: ['lz4', '-c'], decompress: ['lz4', '-dc'] },
  zstd: { compress: ['zstd', '-c', '-T1'], decompress: ['zstd', '-dc'] },
};

export type ToolCodec = keyof typeof TOOLS;
export const TOOL_CODECS = Object.keys(TOOLS) as ToolCodec[];

/** Runs the tool for `codec` over `input`: its output, or the error it exits with. */
export function runTool(codec: ToolCodec, direction: 'compress' | 'decompress', input: Uint8Array): Uint8Array {
  const [command, ...args] = TOOLS[codec][direction];
  return new Uint8Array(execFileSync(command!, args, { input, maxBuffer: 1 << 30 }));
}

/** Whether the tool for `codec` reads two of its outputs joined (brotli's does not: its format has no concatenation). */
export const TOOL_READS_CONCATENATED = (codec: CodecName): boolean => codec !== 'brotli';

/** A sample of mixed bytes: text, a rising integer series, random bytes (deterministic). */
export function sample(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const words = new TextEncoder().encode('arrow parquet column stream buffer codec frame ');
  for (let i = 0; i < size; i++) {
    const kind = (i >> 14) % 3;
    out[i] = kind === 0 ? words[(i + ((i >> 6) % 7)) % words.length]! : kind === 1 ? (i >> 8) & 0xff : (next() * 256) | 0;
  }
  return out;
}

/** `a` and `b` joined. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a);
  joined.set(b, a.byteLength);
  return joined;
}
