/**
 * What a path names in a flat namespace, and the directory markers, shared by the
 * operations of `AzureFileSystem`: a blob is a file (unless its metadata marks it as a
 * folder), and a directory is a prefix of blob names or an empty `dir/` marker blob.
 * @module
 */
import { FileNotFoundError } from '../../errors.js';
import { eachLimited } from '../../remote/limiter.js';
import { parentPath } from '../paths.js';
import type { AzureClient } from './azure-client.js';
import { forEachBlobPage, isFolderMetadata } from './azure-listing.js';

/** What `container/blob` is. */
export type BlobStat =
  | {
      readonly kind: 'file';
      readonly size: number | undefined;
      readonly etag: string;
      readonly type: string;
      readonly mtime?: Date;
    }
  | { readonly kind: 'directory' }
  | { readonly kind: 'missing'; readonly containerMissing: boolean };

/** The metadata in a HEAD's `x-ms-meta-*` headers. */
function metadataOf(head: Response): Record<string, string> {
  const metadata: Record<string, string> = {};
  head.headers.forEach((value, name) => {
    if (name.startsWith('x-ms-meta-')) metadata[name.slice('x-ms-meta-'.length)] = value;
  });
  return metadata;
}

/** Whether anything is stored below `blob/` (one listing request). */
export async function hasChildren(client: AzureClient, container: string, blob: string): Promise<boolean> {
  let found = false;
  await forEachBlobPage(client, container, `${blob}/`, { recursive: true, pageSize: 1, firstPageOnly: true }, (blobs) => {
    found ||= blobs.length > 0;
  });
  return found;
}

/** One HEAD (and, when no blob is there, one listing) says what `container/blob` is. */
export async function statBlob(client: AzureClient, container: string, blob: string): Promise<BlobStat> {
  const head = await client.request({ method: 'HEAD', container, blob, accept: (status) => status === 404 });
  if (head.status !== 404) {
    if (isFolderMetadata(metadataOf(head))) return { kind: 'directory' };
    const length = head.headers.get('content-length');
    const modified = head.headers.get('last-modified');
    return {
      kind: 'file',
      size: length !== null && /^\d+$/.test(length) ? Number(length) : undefined,
      etag: head.headers.get('etag') ?? '',
      type: head.headers.get('x-ms-blob-type') ?? 'BlockBlob',
      ...(modified === null ? {} : { mtime: new Date(modified) }),
    };
  }
  if (head.headers.get('x-ms-error-code') === 'ContainerNotFound') return { kind: 'missing', containerMissing: true };
  try {
    return (await hasChildren(client, container, blob)) ? { kind: 'directory' } : { kind: 'missing', containerMissing: false };
  } catch (error) {
    if (error instanceof FileNotFoundError) return { kind: 'missing', containerMissing: true };
    throw error;
  }
}

/** Writes the empty marker blob `dir/` (as pyarrow does, with `is_directory` metadata) unless one exists. */
export async function ensureMarker(client: AzureClient, container: string, dir: string): Promise<void> {
  await client.request({
    method: 'PUT',
    container,
    blob: `${dir}/`,
    headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-meta-is_directory': 'true', 'if-none-match': '*' },
    body: new Uint8Array(0),
    accept: (status) => status === 409 || status === 412,
  });
}

/**
 * Keeps the directory holding `blob` in existence once `blob` is gone (as a local directory
 * outlives its last file): writes its marker unless it is the container or has one.
 */
export async function keepParent(client: AzureClient, container: string, blob: string): Promise<void> {
  const parent = parentPath(blob);
  if (parent === '' || parent === '/') return;
  await ensureMarker(client, container, parent);
}

/**
 * Deletes every blob whose name starts with `prefix` (8 at a time, page by page, so memory
 * does not grow with the tree), but those `keep` names.
 */
export async function deletePrefix(client: AzureClient, container: string, prefix: string, keep?: string): Promise<void> {
  await forEachBlobPage(client, container, prefix, { recursive: true }, async (blobs) => {
    const doomed = blobs.filter((blob) => blob.name !== keep);
    await eachLimited(doomed, 8, (blob) =>
      client.request({ method: 'DELETE', container, blob: blob.name, accept: (status) => status === 404 }),
    );
  });
}
