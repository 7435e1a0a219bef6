/**
 * The check a resumed upload makes before it keeps any part the store holds: each part's
 * bytes are read from the source and hashed, and compared with the digest the store gives
 * (S3's ETag: MD5) or the one recorded when it was sent (Azure: SHA-256 in the token). The
 * resume keeps the parts before the first that differs, or that has no digest, and sends the
 * rest again: a source edited since (a Node file edited in place keeps its size and, as a
 * `Blob`, has no modification time the fingerprint could see) never gets old bytes
 * committed with new ones. It reads the durable prefix once, a part at a time with the next
 * one read meanwhile (memory: two parts); MD5 hashes at about 500 MB/s, Web Crypto's SHA-256
 * faster, both far cheaper than sending the parts again.
 * @module
 */
import { Md5, toHex } from '../../util/md5.js';
import { readSource, sha256Hex, type ResumableUploadSource } from './fingerprint.js';
import type { HeldPart, PartVerifier } from './resume-hooks.js';

/** A verifier of the parts a resume would keep, and whether the store called it. */
export interface SourceCheck {
  readonly verify: PartVerifier;
  /** Whether the store asked (a store that does not cannot have its parts trusted). */
  readonly asked: () => boolean;
}

/** `length` bytes of `source` at `offset` (fewer only where it ends), in memory of their own. */
async function readPart(source: ResumableUploadSource, offset: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
  const part = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const chunk = await readSource(source, offset + filled, length - filled);
    if (chunk.byteLength === 0) break;
    part.set(chunk.subarray(0, length - filled), filled);
    filled += chunk.byteLength;
  }
  return filled === length ? part : part.slice(0, filled);
}

/** Whether `bytes` are those `part` has the digest of (`false` when it has none). */
async function matches(part: HeldPart, bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (part.md5 !== undefined) return toHex(new Md5().update(bytes).digest()) === part.md5;
  if (part.sha256 !== undefined) return (await sha256Hex(bytes)) === part.sha256;
  return false;
}

/** The check of parts against `source` (`size` bytes); `signal` stops it with its reason. */
export function sourceCheck(source: ResumableUploadSource, size: number, signal: AbortSignal | undefined): SourceCheck {
  let asked = false;
  const verify: PartVerifier = async (parts, partSize) => {
    asked = true;
    // Whole parts of the source only: a part past its end cannot be one of them.
    const count = Math.min(parts.length, Math.floor(size / partSize));
    const checkable = (index: number): boolean =>
      index < count && (parts[index]!.md5 !== undefined || parts[index]!.sha256 !== undefined);
    const read = (index: number) => (checkable(index) ? readPart(source, index * partSize, partSize) : undefined);
    let next = read(0);
    try {
      for (let index = 0; index < count; index++) {
        signal?.throwIfAborted();
        const bytes = await next;
        next = read(index + 1);
        if (bytes === undefined || !(await matches(parts[index]!, bytes))) return index;
      }
      return count;
    } finally {
      // A part read ahead and not wanted: its failure is no one's.
      next?.catch(() => {});
    }
  };
  return { verify, asked: () => asked };
}
