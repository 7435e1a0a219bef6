/**
 * What `resumableUpload` asks of the stores beyond the public `ResumableFileSystem`, kept off
 * the public API (symbol keys): to check the parts a resume would keep against the source
 * before any of them is trusted, and to say which store they are, so that records of uploads
 * to two accounts or endpoints never share a key.
 * @module
 */
import type { ResumableStreamOptions } from '../file-system.js';

/**
 * What is known of the bytes of a part the store holds: the digest the store gives (S3's
 * ETag is the MD5 of the part, unless SSE-KMS or SSE-C encrypts it) or the one recorded when
 * it was sent (Azure's Get Block List gives none: the token carries a SHA-256 of each block).
 * Neither: the part cannot be checked, so it is sent again.
 */
export interface HeldPart {
  /** The MD5 of the part's bytes, lower-case hex. */
  readonly md5?: string;
  /** The SHA-256 of the part's bytes, lower-case hex. */
  readonly sha256?: string;
}

/**
 * Checks the parts a resume would keep, in order, each `partSize` bytes: resolves to how many
 * of the first ones hold the source's bytes (the resume keeps those and sends the rest again).
 */
export type PartVerifier = (parts: readonly HeldPart[], partSize: number) => Promise<number>;

/** The option key under which `resumeOutputStream` takes a {@link PartVerifier}. */
export const VERIFY_PARTS: unique symbol = Symbol('nativefile: verify the parts a resume keeps');

/** The key of a resumable filesystem's identity: its kind and where it is (endpoint, account). */
export const STORE_IDENTITY: unique symbol = Symbol('nativefile: which store this is');

/** `resumeOutputStream`'s options with a verifier (only `resumableUpload` gives one). */
export interface VerifiedResumeOptions extends ResumableStreamOptions {
  readonly [VERIFY_PARTS]?: PartVerifier;
}

/** How many of `parts` a resume keeps: those the verifier in `options` accepts, or all without one. */
export async function verifiedCount(
  options: VerifiedResumeOptions,
  parts: readonly HeldPart[],
  partSize: number,
): Promise<number> {
  const verify = options[VERIFY_PARTS];
  if (verify === undefined) return parts.length;
  const count = await verify(parts, partSize);
  return Math.max(0, Math.min(parts.length, Math.floor(count)));
}

/** The MD5 an S3 ETag says, when it is one (32 hex digits, quoted or not); a multipart or encrypted one says none. */
export function md5OfEtag(etag: string): string | undefined {
  return /^"?([0-9a-fA-F]{32})"?$/.exec(etag)?.[1]?.toLowerCase();
}

/**
 * The identity of a store of kind `kind` at `endpoint`, normalised as a URL without trailing
 * slashes (as the clients reach it), so that one store spelt two ways keeps one record.
 */
export function storeIdentity(kind: string, endpoint: string): string {
  return `${kind} ${new URL(endpoint).href.replace(/\/+$/, '')}`;
}
