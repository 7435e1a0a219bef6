/**
 * Server-side copies within one account (Copy Blob): the bytes never pass through the
 * client. Azure may finish a copy later (`x-ms-copy-status: pending`); the copy is then
 * followed until it ends, and given up (aborted) if it stops making progress or the
 * caller's signal aborts.
 * @module
 */
import { IOError } from '../../errors.js';
import { sleep } from '../../remote/retry.js';
import { parentPath } from '../paths.js';
import { statBlob } from './azure-blobs.js';
import { AzureClient } from './azure-client.js';
import { needBlob } from './azure-paths.js';

/** How long a pending copy may go without progress before it is aborted. */
const STALL_LIMIT_MS = 5 * 60 * 1000;

/** Where a blob is. */
interface BlobLocation {
  readonly container: string;
  readonly blob: string;
}

/**
 * Copies `source` (the version whose ETag is `etag`: a newer one fails with `ESTALE`) to
 * `target`, replacing it, and resolves once the copy is complete. An abort of `signal`
 * aborts a copy still pending and rejects with the reason.
 */
export async function copyBlob(
  client: AzureClient,
  source: BlobLocation,
  target: BlobLocation,
  etag: string,
  signal?: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = { 'x-ms-copy-source': client.url(source.container, source.blob, {}, true) };
  if (etag !== '') headers['x-ms-source-if-match'] = etag;
  const started = await client.request({ method: 'PUT', ...target, headers, signal });
  let status = started.headers.get('x-ms-copy-status');
  const id = started.headers.get('x-ms-copy-id');
  const name = `${AzureClient.nameOf(source.container, source.blob)} to ${AzureClient.nameOf(target.container, target.blob)}`;
  const abortCopy = async () => {
    if (id === null) return;
    const query = { comp: 'copy', copyid: id };
    await client.request({ method: 'PUT', ...target, query, headers: { 'x-ms-copy-action': 'abort' }, accept: () => true });
  };
  let progress = '';
  let lastProgress = Date.now();
  for (let wait = 50; status === 'pending'; wait = Math.min(wait * 2, 2000)) {
    if (Date.now() - lastProgress > STALL_LIMIT_MS) {
      await abortCopy();
      throw new IOError(`the copy of ${name} made no progress for ${STALL_LIMIT_MS / 1000} s: aborted`, { code: 'ETIMEDOUT' });
    }
    let head: Response;
    try {
      await sleep(wait, signal);
      head = await client.request({ method: 'HEAD', ...target, signal });
    } catch (reason) {
      // Aborted while waiting or polling: the copy still pending on the store is aborted too.
      if (signal?.aborted) await abortCopy().catch(() => {});
      throw reason;
    }
    if (id !== null && head.headers.get('x-ms-copy-id') !== id)
      throw new IOError(`the copy of ${name} was replaced by another copy or write`, { code: 'ESTALE' });
    status = head.headers.get('x-ms-copy-status');
    const now = head.headers.get('x-ms-copy-progress') ?? '';
    if (now !== progress) [progress, lastProgress] = [now, Date.now()];
  }
  if (status !== null && status !== 'success') {
    throw new IOError(`the copy of ${name} ended with status ${status}`, { code: 'EREMOTE' });
  }
}

/**
 * Copy Blob of `from` (the version whose ETag is `etag`) onto `to`, once `to` is checked to be
 * neither a directory nor below a file; `false` when they are the same blob (nothing to do).
 */
export async function copyChecked(
  client: AzureClient,
  from: string,
  to: string,
  etag: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const source = needBlob(from, 'from');
  const target = needBlob(to, 'to');
  if (source.container === target.container && source.blob === target.blob) return false;
  const [onTarget, targetParent] = await Promise.all([
    statBlob(client, target.container, target.blob),
    parentPath(target.blob) === '' ? undefined : statBlob(client, target.container, parentPath(target.blob)),
  ]);
  if (onTarget.kind === 'directory') throw new IOError(`cannot replace directory ${to} with a file`, { code: 'EISDIR' });
  if (targetParent?.kind === 'file') throw new IOError(`not a directory: the parent of ${to}`, { code: 'ENOTDIR' });
  await copyBlob(client, source, target, etag, signal);
  return true;
}
