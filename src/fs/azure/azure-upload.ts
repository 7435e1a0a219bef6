/**
 * Block blob uploads: each part is a staged block (Put Block), and `close()` commits the
 * list (Put Block List), so the blob appears, or changes, all at once. Blocks staged and
 * never committed are invisible; {@link blockUpload}'s discard also removes them where
 * that cannot touch anyone's blob.
 * @module
 */
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { partedUpload, type PartBody, type PartOptions } from '../../remote/part-upload.js';
import { escapeXml } from '../../remote/xml.js';
import type { AzureClient } from './azure-client.js';

/** Blocks an append keeps in front of the new ones. */
export interface KeptBlocks {
  /** The committed block ids (base64), in order. */
  readonly ids: readonly string[];
  /** `'Committed'` for blocks of the blob, `'Uncommitted'` for blocks just staged from its bytes. */
  readonly list: 'Committed' | 'Uncommitted';
  /** The blob's ETag: the commit fails with `ESTALE` if someone changed the blob meanwhile. */
  readonly etag: string;
  /** The byte length of the new block ids (every id of a blob has the same length). */
  readonly idLength: number;
}

/** Options of {@link blockUpload}. */
export interface BlockUploadOptions extends PartOptions {
  /** For appends: the blocks to keep. */
  readonly keep?: KeptBlocks;
}

/** The byte length of the block ids nativefile makes when it is free to choose. */
export const BLOCK_ID_LENGTH = 32;

/** Azure's largest block (API version 2019-12-12 and later): 4000 MiB. */
export const MAX_BLOCK_SIZE = 4000 * 1024 * 1024;

/** Azure's most committed blocks in one blob. */
export const MAX_BLOCKS = 50_000;

/** Digits of the block's number at the end of a block id. */
const INDEX_DIGITS = 8;

/** `length` random lower-case hex digits. */
export function randomTag(length: number): string {
  const random = new Uint8Array(Math.ceil(length / 2));
  crypto.getRandomValues(random);
  return Array.from(random, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, length);
}

/** The id of block `index` of the upload tagged `tag`: the tag and the index in 8 digits, base64. */
export function blockIdOf(tag: string, index: number): string {
  return btoa(`${tag}${String(index).padStart(INDEX_DIGITS, '0')}`);
}

/**
 * Block ids of one upload: a random tag (so two writers of one blob never share an id) and
 * the block's number, `length` bytes before base64, as Azure wants every id of a blob the
 * same length.
 */
export function blockIds(length = BLOCK_ID_LENGTH): (index: number) => string {
  const tag = randomTag(length - INDEX_DIGITS);
  return (index) => blockIdOf(tag, index);
}

/** The Put Block List body. */
function blockListXml(kept: KeptBlocks | undefined, ids: readonly string[]): Uint8Array<ArrayBuffer> {
  const keep = (kept?.ids ?? []).map((id) => `<${kept!.list}>${escapeXml(id)}</${kept!.list}>`);
  const fresh = ids.map((id) => `<Latest>${escapeXml(id)}</Latest>`);
  return new TextEncoder().encode(
    `<?xml version="1.0" encoding="utf-8"?><BlockList>${keep.join('')}${fresh.join('')}</BlockList>`,
  );
}

/** Commits `ids` (after `kept`) as the blob `container/blob`; `condition` guards the commit. */
export async function commitBlocks(
  client: AzureClient,
  container: string,
  blob: string,
  kept: KeptBlocks | undefined,
  ids: readonly string[],
  condition: Record<string, string>,
  options: { signal?: AbortSignal; accept?: (status: number) => boolean } = {},
): Promise<Response> {
  return client.request({
    method: 'PUT',
    container,
    blob,
    query: { comp: 'blocklist' },
    headers: { 'content-type': 'application/xml', ...condition },
    body: blockListXml(kept, ids),
    ...options,
  });
}

/** Stages one block. */
export async function stageBlock(
  client: AzureClient,
  container: string,
  blob: string,
  id: string,
  bytes: PartBody,
  signal?: AbortSignal,
): Promise<string> {
  await client.request({ method: 'PUT', container, blob, query: { comp: 'block', blockid: id }, body: bytes, signal });
  return id;
}

/**
 * Removes the blocks staged for `container/blob` where no blob exists: they form an
 * "uncommitted blob" that listings with `include=uncommittedblobs` show. Committing an empty
 * list only if no blob exists, then deleting exactly that version, removes it without any
 * risk to a blob someone else wrote meanwhile (or the one being replaced), whose staged
 * blocks stay, invisible, until Azure collects them (a week) or its next commit drops them.
 * The commit drops every block staged at the path, whoever staged it: another upload of the
 * same new path loses its blocks too.
 */
export async function removeUncommittedBlob(client: AzureClient, container: string, blob: string): Promise<void> {
  const onlyIfMissing = { accept: (status: number) => status === 409 || status === 412 };
  const made = await commitBlocks(client, container, blob, undefined, [], { 'if-none-match': '*' }, onlyIfMissing);
  const etag = made.ok ? made.headers.get('etag') : null;
  if (etag === null) return;
  await client.request({
    method: 'DELETE',
    container,
    blob,
    headers: { 'if-match': etag },
    accept: (s) => s === 404 || s === 412,
  });
}

/** An upload to the block blob `container/blob`, as an {@link UnderlyingFile}. */
export function blockUpload(client: AzureClient, container: string, blob: string, options: BlockUploadOptions): UnderlyingFile {
  const { keep } = options;
  const idOf = blockIds(keep?.idLength);
  return partedUpload(
    {
      name: `azure://${container}/${blob}`,
      maxParts: MAX_BLOCKS,
      sendPart: (index, bytes, signal) => stageBlock(client, container, blob, idOf(index), bytes, signal),
      async commit(ids, signal) {
        const condition: Record<string, string> = keep === undefined ? {} : { 'if-match': keep.etag };
        await commitBlocks(client, container, blob, keep, ids, condition, { signal });
      },
      async discard(sent) {
        // An append's blocks hang on the blob the caller means to keep: they stay invisible
        // until Azure collects them (a week) or the blob's next commit drops them.
        if (keep !== undefined || sent === 0) return;
        await removeUncommittedBlob(client, container, blob);
      },
    },
    options,
  ).underlying;
}
