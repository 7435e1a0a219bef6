/**
 * Resumable block blob uploads. Azure has no upload object as S3 has: blocks staged with Put
 * Block stay on the blob, uncommitted and invisible, until a Put Block List commits some of
 * them (and drops the others), or for about a week. A resumable upload therefore names its
 * blocks so that they can be found again: each id is the upload's id (24 random hex digits,
 * in the token), the run's tag and the block's index (azure-run-ids.ts: a block of an
 * interrupted run landing late never takes the place of one a resume sent again). Resuming
 * lists the blob's uncommitted blocks (Get Block List), keeps the first ones of the upload
 * without a gap whose size is the token's block size, and goes on after them in a run of its
 * own. Nothing is committed before `close()`.
 *
 * Get Block List gives sizes, no digest: the token carries the SHA-256 of each block as it
 * was sent (Web Crypto), so that `resumableUpload` checks the blocks against the source
 * before it keeps them (`VERIFY_PARTS`). A Blob's slice is therefore read, hashed and sent
 * from memory (a block per block in flight, as for written bytes). Blocks of older tokens,
 * or of those the token did not record yet, have no digest: a verified resume sends them again.
 *
 * An upload is gone when Azure holds none of its blocks uncommitted: it completed (its
 * commit turned them into the blob's), another writer committed the blob (which drops every
 * uncommitted block), a week passed, or nothing was ever staged; or when its abort marker is
 * there. Where no blob exists, `abort()` removes the blocks; where one does, it must not be
 * touched, so the blocks stay until Azure drops them and a one-byte marker block (index
 * 99999999, past Azure's 50,000 blocks) says the upload was aborted.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { partedUpload, type PartTarget } from '../../remote/part-upload.js';
import { xmlBlocks, xmlValue } from '../../remote/xml.js';
import { sha256Hex } from '../uploads/fingerprint.js';
import { verifiedCount, type VerifiedResumeOptions } from '../uploads/resume-hooks.js';
import { decodeResumeToken, encodeResumeToken } from '../uploads/resume-token.js';
import { uploadControl } from '../uploads/upload-control.js';
import { AzureClient } from './azure-client.js';
import { AzureResumableOutputStream } from './azure-file.js';
import { FIRST_RUN, heldParts, newRun, parseRunBlockId, runBlockId } from './azure-run-ids.js';
import {
  blockIdOf,
  commitBlocks,
  MAX_BLOCK_SIZE,
  MAX_BLOCKS,
  randomTag,
  removeUncommittedBlob,
  stageBlock,
  type BlockUploadOptions,
} from './azure-upload.js';

/** The store kind in Azure's resume tokens. */
const STORE = 'azure';
/** What an upload id is: 24 lower-case hex digits (with the 8 of the index, 32-byte block ids). */
const UPLOAD_ID = /^[0-9a-f]{24}$/;
/** The index of the block that marks an upload aborted. */
const ABORTED = 99_999_999;

/** Options of a resumable upload: how blocks are cut and sent, and who is told of checkpoints. */
export type ResumableBlockOptions = Pick<BlockUploadOptions, 'partSize' | 'maxInFlight'> & VerifiedResumeOptions;

/**
 * An upload's identity and what is durable of it: its blocks' ids, and the digests known of
 * the first ones; and the tag of this run, which names the blocks it sends.
 */
interface UploadState {
  readonly uploadId: string;
  readonly run: string;
  readonly parts: readonly string[];
  readonly digests: readonly string[];
}

/** Opens a new resumable upload of `container/blob`: its id is made here, nothing is sent yet. */
export function openResumable(
  client: AzureClient,
  container: string,
  blob: string,
  options: ResumableBlockOptions,
): AzureResumableOutputStream {
  return resumableStream(client, container, blob, options, { uploadId: randomTag(24), run: FIRST_RUN, parts: [], digests: [] });
}

/**
 * Reopens the resumable upload of `container/blob` that `token` names: its blocks Azure
 * holds uncommitted decide what is durable, the first ones without a gap, each of the
 * token's block size; the stream starts after them (`tell()`). Given a verifier
 * (`VERIFY_PARTS`), it keeps only the first of those it accepts, told their digests.
 * @throws TypeError for a token that is not one (or is corrupted); RangeError for one of
 * another path or store, or a block size Azure does not take; FileNotFoundError when the
 * upload is gone (see the module's documentation).
 */
export async function resumeResumable(
  client: AzureClient,
  container: string,
  blob: string,
  token: string,
  options: ResumableBlockOptions,
): Promise<AzureResumableOutputStream> {
  const state = decodeResumeToken(token, STORE, `${container}/${blob}`);
  const { uploadId, partSize } = state;
  if (!UPLOAD_ID.test(uploadId) || state.parts.some((id, index) => parseRunBlockId(uploadId, id)?.index !== index))
    throw new TypeError(`not an Azure resume token, or a corrupted one: its upload id or block ids are not nativefile's`);
  if (partSize > MAX_BLOCK_SIZE)
    throw new RangeError(`the resume token's block size ${partSize} is past Azure's largest block (4000 MiB)`);
  const held = await uncommittedBlocks(client, container, blob, uploadId);
  if (held.size === 0 || held.has(blockIdOf(uploadId, ABORTED))) {
    throw new FileNotFoundError(
      `the upload ${uploadId} of ${AzureClient.nameOf(container, blob)} is gone: Azure holds none of its blocks (it completed, was aborted, another writer committed the blob, or its blocks expired)`,
    );
  }
  const { parts, runs } = heldParts(uploadId, held, partSize, state.parts);
  const digests = state.digests ?? [];
  const kept = await verifiedCount(
    options,
    parts.map((_, index) => (digests[index] === undefined ? {} : { sha256: digests[index] })),
    partSize,
  );
  return resumableStream(
    client,
    container,
    blob,
    { ...options, partSize },
    { uploadId, run: newRun(runs), parts: parts.slice(0, kept), digests: digests.slice(0, kept) },
  );
}

/** The blocks of upload `uploadId` that Azure holds uncommitted for `container/blob`: their sizes by id. */
async function uncommittedBlocks(
  client: AzureClient,
  container: string,
  blob: string,
  uploadId: string,
): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  let xml: string;
  try {
    const query = { comp: 'blocklist', blocklisttype: 'uncommitted' };
    xml = (await client.requestText({ method: 'GET', container, blob, query })).text;
  } catch (error) {
    // No blob and no block staged (or no container): nothing of the upload is there.
    if (error instanceof FileNotFoundError) return held;
    throw error;
  }
  // 24 characters encode to 32 in base64, with no padding: the upload's ids start with these.
  const ours = btoa(uploadId);
  for (const block of xmlBlocks(xmlBlocks(xml, 'UncommittedBlocks')[0] ?? '', 'Block')) {
    const id = xmlValue(block, 'Name');
    const size = Number(xmlValue(block, 'Size'));
    if (id?.startsWith(ours) && Number.isSafeInteger(size)) held.set(id, size);
  }
  return held;
}

/** The stream of a resumable upload with these blocks durable already. */
function resumableStream(
  client: AzureClient,
  container: string,
  blob: string,
  options: ResumableBlockOptions,
  state: UploadState,
): AzureResumableOutputStream {
  const { partSize, onCheckpoint } = options;
  const { uploadId, run } = state;
  const name = AzureClient.nameOf(container, blob);
  // Each block's SHA-256 by index, once staged; none where Web Crypto is missing (an insecure page).
  const digests: (string | undefined)[] = [...state.digests];
  const target: PartTarget = {
    name,
    maxParts: MAX_BLOCKS,
    async sendPart(index, body, signal) {
      const bytes = body instanceof Uint8Array ? body : new Uint8Array(await body.arrayBuffer());
      const digest = typeof crypto === 'undefined' || crypto.subtle === undefined ? undefined : await sha256Hex(bytes);
      const id = await stageBlock(client, container, blob, runBlockId(uploadId, run, index), bytes, signal);
      digests[index] = digest;
      return id;
    },
    async commit(ids, signal) {
      try {
        await commitBlocks(client, container, blob, undefined, ids, {}, { signal });
      } catch (error) {
        // The blocks listed are not all there: another writer's commit (or a week) dropped them.
        if (error instanceof IOError && error.code === 'EINVAL' && error.message.startsWith('InvalidBlockList')) {
          throw new FileNotFoundError(
            `the upload ${uploadId} of ${name} is gone: its staged blocks were dropped (another writer committed the blob, or they expired)`,
            { cause: error },
          );
        }
        throw error;
      }
    },
    async discard(sent) {
      // Nothing staged, by this stream or the one it resumes: nothing to undo, and no commit
      // that would drop the blocks another upload of the path has staged.
      if (sent === 0) return;
      // The marker first: resuming is refused even if what follows fails.
      await stageBlock(client, container, blob, blockIdOf(uploadId, ABORTED), new Uint8Array(1));
      await removeUncommittedBlob(client, container, blob);
    },
  };
  const token = (parts: readonly string[]): string => {
    // The digests of the first parts, up to the first one unknown (a check stops there anyway):
    // a resume without a check keeps blocks the token had no digest of, before new ones.
    const prefix: string[] = [];
    for (const digest of digests.slice(0, parts.length)) {
      if (digest === undefined) break;
      prefix.push(digest);
    }
    return encodeResumeToken({ store: STORE, path: `${container}/${blob}`, uploadId, partSize, parts, digests: prefix });
  };
  const { underlying, control } = partedUpload(target, {
    partSize,
    maxInFlight: options.maxInFlight,
    resume: state.parts,
    onDurable: (parts, bytes) => onCheckpoint?.({ token: token(parts), bytesDurable: bytes }),
  });
  return new AzureResumableOutputStream(underlying, `${container}/${blob}`, undefined, {
    position: state.parts.length * partSize,
    ...uploadControl(control, token),
  });
}
