/**
 * Appending to an existing blob. A block blob (what `AzureFileSystem` writes) keeps its
 * committed blocks and gets new ones after them, committed on `close()` on the condition
 * that nobody changed the blob meanwhile (else `ESTALE`): the appended bytes appear all at
 * once and `abort()` leaves the blob as it was. An Append Blob (written by logging tools)
 * gets Append Block calls, each visible at once, at the offset expected
 * (`x-ms-blob-condition-appendpos`), so two writers never interleave.
 * @module
 */
import { IOError, UnsupportedOperationError } from '../../errors.js';
import { asError } from '../../remote/body-reader.js';
import { networkError } from '../../remote/http-errors.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { xmlBlocks, xmlValue } from '../../remote/xml.js';
import type { AzureClient } from './azure-client.js';
import { blockIds, blockUpload, BLOCK_ID_LENGTH, stageBlock, type KeptBlocks } from './azure-upload.js';

/** Azure's largest Append Block in the API version used. */
export const MAX_APPEND_BLOCK = 4 * 1024 * 1024;

/** What the HEAD of the blob told. */
export interface ExistingBlob {
  readonly size: number;
  readonly etag: string;
  /** `BlockBlob`, `AppendBlob` or `PageBlob`. */
  readonly type: string;
}

/** How an append sends bytes. */
export interface AppendOptions {
  readonly blockSize: number;
  readonly maxInFlight: number;
}

/** The backend that appends to `existing`, whose `size()` counts the blob's bytes too. */
export async function appendTo(
  client: AzureClient,
  container: string,
  blob: string,
  existing: ExistingBlob,
  options: AppendOptions,
): Promise<UnderlyingFile> {
  if (existing.type === 'AppendBlob') return appendBlobWriter(client, container, blob, existing, options.blockSize);
  if (existing.type !== 'BlockBlob')
    throw new UnsupportedOperationError(
      `cannot append to ${existing.type} azure://${container}/${blob} (only block and append blobs)`,
    );
  const keep = await keptBlocks(client, container, blob, existing, options.blockSize);
  const upload = blockUpload(client, container, blob, { partSize: options.blockSize, maxInFlight: options.maxInFlight, keep });
  return { ...upload, size: async () => existing.size + (await upload.size!()) };
}

/**
 * The blocks to keep in front of the appended ones. A blob made by one Put Blob (other
 * tools' small uploads) has no blocks, and one whose ids are too short to tell new ids
 * from old ones cannot take ours: its bytes are then staged again as new blocks, one block
 * in memory at a time, read on the condition that the blob does not change.
 */
async function keptBlocks(
  client: AzureClient,
  container: string,
  blob: string,
  existing: ExistingBlob,
  blockSize: number,
): Promise<KeptBlocks> {
  const condition = { 'if-match': existing.etag };
  const { text } = await client.requestText({
    method: 'GET',
    container,
    blob,
    query: { comp: 'blocklist', blocklisttype: 'committed' },
    headers: condition,
  });
  const committed = xmlBlocks(text, 'Block').map((block) => ({
    id: xmlValue(block, 'Name') ?? '',
    size: Number(xmlValue(block, 'Size') ?? 0),
  }));
  const total = committed.reduce((sum, block) => sum + block.size, 0);
  const idLength = committed.length === 0 ? BLOCK_ID_LENGTH : atob(committed[0]!.id).length;
  if (total === existing.size && idLength >= 16)
    return { ids: committed.map((block) => block.id), list: 'Committed', etag: existing.etag, idLength };
  const idOf = blockIds();
  const ids: string[] = [];
  for (let offset = 0; offset < existing.size; offset += blockSize) {
    const end = Math.min(existing.size, offset + blockSize) - 1;
    const range = await client.request({
      method: 'GET',
      container,
      blob,
      headers: { ...condition, range: `bytes=${offset}-${end}` },
    });
    const name = `azure://${container}/${blob}`;
    const bytes = new Uint8Array(
      await range.arrayBuffer().catch((error: unknown) => {
        throw networkError(error, name);
      }),
    );
    // Staged as they came, other bytes (a whole blob, a cut range) would become the blob's.
    if (range.status !== 206 || bytes.byteLength !== end - offset + 1) {
      throw new IOError(
        `${name} answered ${bytes.byteLength} bytes (HTTP ${range.status}) for bytes ${offset}-${end}: nothing appended`,
        { code: 'EPROTO' },
      );
    }
    ids.push(idOf(ids.length));
    await stageBlock(client, container, blob, ids.at(-1)!, bytes);
  }
  return { ids, list: 'Uncommitted', etag: existing.etag, idLength: BLOCK_ID_LENGTH };
}

/** Appends to an Append Blob, one Append Block per `blockSize` (at most 4 MiB) of bytes. */
function appendBlobWriter(
  client: AzureClient,
  container: string,
  blob: string,
  existing: ExistingBlob,
  blockSize: number,
): UnderlyingFile {
  const chunkSize = Math.min(blockSize, MAX_APPEND_BLOCK);
  let chunk = new Uint8Array(chunkSize);
  let filled = 0;
  let size = existing.size;
  // After a failed Append Block the stream is failed: a later close() must not send the rest
  // and resolve, as if bytes of the failed write (past the block) were written.
  let failure: unknown;
  const send = async (): Promise<void> => {
    if (failure !== undefined) throw asError(failure);
    if (filled === 0) return;
    const bytes = chunk.subarray(0, filled);
    try {
      await client.request({
        method: 'PUT',
        container,
        blob,
        query: { comp: 'appendblock' },
        headers: { 'x-ms-blob-condition-appendpos': String(size) },
        body: bytes,
      });
    } catch (error) {
      failure = error;
      throw error;
    }
    size += filled;
    filled = 0;
  };
  return {
    async write(bytes) {
      if (failure !== undefined) throw asError(failure);
      let done = 0;
      while (done < bytes.byteLength) {
        const count = Math.min(bytes.byteLength - done, chunkSize - filled);
        chunk.set(bytes.subarray(done, done + count), filled);
        filled += count;
        done += count;
        if (filled === chunkSize) await send();
      }
    },
    size: () => size + filled,
    flush: send,
    close: send,
    abort() {
      // What Append Block sent is part of the blob already; only the buffer is dropped.
      chunk = new Uint8Array(0);
      filled = 0;
    },
  };
}
