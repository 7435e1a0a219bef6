/**
 * The check a resumed upload makes before it keeps any part the store holds: each part's
 * bytes are read from the source and hashed, and compared with the digest the store gives
 * (S3's ETag: MD5) or the one recorded when it was sent (Azure: SHA-256 in the token). The
 * resume keeps the parts before the first that differs, or that has no digest, and sends the
 * rest again: a source edited since (a Node file edited in place keeps its size and, as a
 * `Blob`, has no modification time the fingerprint could see) never gets old bytes
 * committed with new ones. It reads the durable prefix once, 8 MiB at a time with the next
 * read meanwhile (an MD5 is fed as it goes; Web Crypto's SHA-256 takes a whole Azure block);
 * MD5 hashes at about 500 MB/s, SHA-256 faster, both far cheaper than sending the parts again.
 * @module
 */
import { IOError } from '../../errors.js';
import { Md5, toHex } from '../../util/md5.js';
import { readSource, sha256Hex, type ResumableUploadSource } from './fingerprint.js';
import type { HeldPart, PartVerifier } from './resume-hooks.js';

/** A verifier of the parts a resume would keep, and whether the store called it. */
export interface SourceCheck {
  readonly verify: PartVerifier;
  /** Whether the store asked (a store that does not cannot have its parts trusted). */
  readonly asked: () => boolean;
}

/** The bytes read from the source at a time while a part is hashed (parts may be 5 GiB). */
const CHUNK = 8 * 1024 * 1024;

/**
 * Reads `length` bytes of `source` at `offset` in chunks, the next one read while `take` has
 * the last; whether all of them were there (`false`: the source ended first).
 */
async function eachChunk(
  source: ResumableUploadSource,
  offset: number,
  length: number,
  take: (chunk: Uint8Array) => void,
): Promise<boolean> {
  const read = (at: number) => readSource(source, offset + at, Math.min(CHUNK, length - at));
  let next = read(0);
  try {
    for (let done = 0; done < length;) {
      const chunk = (await next).subarray(0, length - done);
      if (chunk.byteLength === 0) return false;
      done += chunk.byteLength;
      if (done < length) next = read(done);
      take(chunk);
    }
    return true;
  } finally {
    next.catch(() => {}); // a chunk read ahead and not wanted: its failure is no one's
  }
}

/** Whether the part of `source` at `offset`, `length` bytes, has `part`'s digest (`false` when it has none). */
async function matches(source: ResumableUploadSource, offset: number, length: number, part: HeldPart): Promise<boolean> {
  if (part.md5 !== undefined) {
    const md5 = new Md5();
    return (await eachChunk(source, offset, length, (chunk) => md5.update(chunk))) && toHex(md5.digest()) === part.md5;
  }
  if (part.sha256 === undefined) return false;
  // Web Crypto hashes whole arrays only; these are Azure's blocks, at most 4000 MiB each.
  const bytes = new Uint8Array(length);
  let filled = 0;
  const whole = await eachChunk(source, offset, length, (chunk) => {
    bytes.set(chunk, filled);
    filled += chunk.byteLength;
  });
  return whole && (await sha256Hex(bytes)) === part.sha256;
}

/** The check of parts against `source` (`size` bytes); `signal` stops it with its reason. */
export function sourceCheck(source: ResumableUploadSource, size: number, signal: AbortSignal | undefined): SourceCheck {
  let asked = false;
  const verify: PartVerifier = async (parts, partSize) => {
    asked = true;
    // Whole parts of the source only: a part past its end cannot be one of them.
    const count = Math.min(parts.length, Math.floor(size / partSize));
    for (let index = 0; index < count; index++) {
      signal?.throwIfAborted();
      let same: boolean;
      try {
        same = await matches(source, index * partSize, partSize, parts[index]!);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        // Not the store's answer: the caller must not take it for a gone upload or a bad token.
        const reason = error instanceof Error ? error.message : String(error);
        throw new IOError(`reading the source to check the parts the store holds failed: ${reason}`, { cause: error });
      }
      if (!same) return index;
    }
    return count;
  };
  return { verify, asked: () => asked };
}
