/**
 * The resume token of a resumable upload: a JSON string saying which upload it is (the store,
 * the path, the store's upload id), the part size, and the parts done in order (their ETags or
 * block ids), which make up the bytes durable, and where the store gives no digest of a part
 * (Azure) the SHA-256 of each, recorded as it was sent, to check them against the source on a
 * resume. Decoding checks every field, so a corrupted token or one for another path is a
 * clear error, never a write to the wrong object. `digests` is optional and the version
 * unchanged: a token without it (older ones) decodes, its parts unverifiable.
 * @module
 */
import { describe } from '../../util/validate.js';

/** What a token says. */
export interface ResumeState {
  /** The kind of store: `'s3'` (`S3FileSystem`), `'azure'` (`AzureFileSystem`). */
  readonly store: string;
  /** The path the upload writes, in the store's own form. */
  readonly path: string;
  /** The store's id of the upload. */
  readonly uploadId: string;
  /** Bytes per part; every durable part is this long. */
  readonly partSize: number;
  /** The ETags (or block ids) of the parts done, from the first on, without a gap. */
  readonly parts: readonly string[];
  /**
   * The SHA-256 (hex) of the first parts' bytes, as sent (Azure; S3's ETags are digests
   * already). Parts past its length have none: they cannot be checked against the source.
   */
  readonly digests?: readonly string[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

const VERSION = 1;

/** The bytes a state makes durable: its parts, all of them whole. */
export function durableBytes(state: ResumeState): number {
  return state.parts.length * state.partSize;
}

/** The token of `state`. */
export function encodeResumeToken(state: ResumeState): string {
  const { store, path, uploadId, partSize, parts, digests } = state;
  return JSON.stringify({
    nativefile: 'resume',
    v: VERSION,
    store,
    path,
    uploadId,
    partSize,
    parts,
    durable: durableBytes(state),
    ...(digests === undefined ? {} : { digests: digests.slice(0, parts.length) }),
  });
}

/**
 * The state a token says, for an upload of `path` to a store of kind `store`.
 * @throws TypeError when `token` is not a resume token (or is corrupted).
 * @throws RangeError when it is one for another path or store.
 */
export function decodeResumeToken(token: unknown, store: string, path: string): ResumeState {
  if (typeof token !== 'string') throw new TypeError(`a resume token must be a string, got ${describe(token)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(token);
  } catch {
    throw new TypeError(`not a resume token (not JSON): ${describe(token)}`);
  }
  const t = parsed as Record<string, unknown> | null;
  const valid =
    typeof t === 'object' &&
    t !== null &&
    t['nativefile'] === 'resume' &&
    t['v'] === VERSION &&
    typeof t['store'] === 'string' &&
    typeof t['path'] === 'string' &&
    typeof t['uploadId'] === 'string' &&
    t['uploadId'] !== '' &&
    Number.isSafeInteger(t['partSize']) &&
    (t['partSize'] as number) > 0 &&
    Array.isArray(t['parts']) &&
    t['parts'].every((part) => typeof part === 'string' && part !== '') &&
    t['durable'] === t['parts'].length * (t['partSize'] as number) &&
    (t['digests'] === undefined ||
      (Array.isArray(t['digests']) &&
        t['digests'].length <= t['parts'].length &&
        t['digests'].every((digest) => typeof digest === 'string' && SHA256_HEX.test(digest))));
  if (!valid) throw new TypeError(`not a resume token, or a corrupted one: ${describe(token)}`);
  if (t['store'] !== store) throw new RangeError(`the resume token is for a ${String(t['store'])} upload, not ${store}`);
  if (t['path'] !== path) {
    throw new RangeError(
      `the resume token is for ${JSON.stringify(t['path'])}, not ${JSON.stringify(path)}: it would write another object`,
    );
  }
  const state = {
    store,
    path,
    uploadId: t['uploadId'] as string,
    partSize: t['partSize'] as number,
    parts: t['parts'] as string[],
  };
  return t['digests'] === undefined ? state : { ...state, digests: t['digests'] as string[] };
}
