/**
 * What identifies an upload's source across a reload: its name, size, last modification
 * (a `File`'s; in Node an `OSFile`'s, with its inode, from `fstat`) and a hash of bytes
 * sampled across it. A re-picked file that changed (same name and size, other bytes) mostly
 * gets another fingerprint, so its upload is not resumed; sampling keeps this to 64 KiB read
 * whatever the size, so an edit between the samples of a source without a modification time
 * (a Node `Blob`) goes unseen: the resume itself checks the parts against the source.
 * @module
 */
import type { AnyRandomAccessFile } from '../../io/core/interfaces.js';

/** What an upload reads: a `Blob`/`File`, or any random-access file. */
export type ResumableUploadSource = Blob | AnyRandomAccessFile;

/** A source's identity. */
export interface SourceFingerprint {
  /** `File.name`, a file's `path`, or `''`. */
  readonly name: string;
  /** The bytes of the source. */
  readonly size: number;
  /** `File.lastModified`, or the modification time (ms) of a Node file (`OSFile`), when the source has one. */
  readonly lastModified?: number;
  /** The inode of a Node file (`OSFile`): a file replaced by another (a save by rename) is another source. */
  readonly inode?: number;
  /** SHA-256 (hex) of the bytes sampled. */
  readonly sample: string;
}

const SAMPLES = 16;
const SAMPLE_BYTES = 4096;

/** The size of `source`. */
export async function sourceSize(source: ResumableUploadSource): Promise<number> {
  return source instanceof Blob ? source.size : source.size();
}

/** `length` bytes of `source` at `offset` (fewer at its end). */
export async function readSource(source: ResumableUploadSource, offset: number, length: number): Promise<Uint8Array> {
  if (source instanceof Blob) return new Uint8Array(await source.slice(offset, offset + length).arrayBuffer());
  return source.readAt(offset, length);
}

/** What the platform tells of a source besides its bytes (Node: `fstat` of an `OSFile`). */
export type SourceStamp = Pick<SourceFingerprint, 'lastModified' | 'inode'>;

/** The fingerprint of `source` as its bytes and properties tell (the platform's {@link SourceStamp} is added to it). */
export async function fingerprintOf(source: ResumableUploadSource): Promise<SourceFingerprint> {
  const size = await sourceSize(source);
  const span = Math.max(0, size - SAMPLE_BYTES);
  const offsets = [...new Set(Array.from({ length: SAMPLES }, (_, i) => Math.floor((span * i) / (SAMPLES - 1))))];
  const samples = await Promise.all(offsets.map((offset) => readSource(source, offset, SAMPLE_BYTES)));
  const joined = new Uint8Array(samples.reduce((sum, s) => sum + s.byteLength, 0));
  let at = 0;
  for (const sample of samples) {
    joined.set(sample, at);
    at += sample.byteLength;
  }
  const named = source as { name?: unknown; path?: unknown; lastModified?: unknown };
  const name = typeof named.name === 'string' ? named.name : typeof named.path === 'string' ? named.path : '';
  return {
    name,
    size,
    ...(typeof named.lastModified === 'number' ? { lastModified: named.lastModified } : {}),
    sample: await sha256Hex(joined),
  };
}

/** SHA-256 of `bytes` (or of a string's UTF-8), as hex. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
