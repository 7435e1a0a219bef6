/**
 * ListObjectsV2, page by page, as {@link FileInfo}s. S3 has no directories: a "directory"
 * is a common prefix of keys (or an empty `dir/` marker object, as pyarrow creates them).
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { joinPath } from '../paths.js';
import type { FileInfo } from '../file-system.js';
import type { S3Client } from './s3-client.js';
import { contentLength } from './s3-paths.js';
import { listedName, PageTokens } from '../../remote/listing-checks.js';
import { xmlBlocks, xmlValue } from '../../remote/xml.js';

/** One object or common prefix under a prefix. */
export async function listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { recursive: boolean; maxKeys?: number },
): Promise<FileInfo[]> {
  const infos: FileInfo[] = [];
  const directories = new Set<string>();
  const addDirectory = (key: string) => {
    if (key.length <= prefix.length || directories.has(key)) return;
    directories.add(key);
    infos.push({ path: joinPath(bucket, key), type: 'directory' });
  };
  const what = `s3://${bucket}/${prefix}`;
  const tokens = new PageTokens(what);
  let token: string | undefined;
  do {
    const query: Record<string, string> = { 'list-type': '2', prefix };
    if (!options.recursive) query['delimiter'] = '/';
    if (options.maxKeys !== undefined) query['max-keys'] = String(options.maxKeys);
    if (token !== undefined) query['continuation-token'] = token;
    const { text: xml } = await client.requestText({ method: 'GET', bucket, query });
    for (const block of xmlBlocks(xml, 'Contents')) {
      const key = listedName(xmlValue(block, 'Key'), prefix, what);
      if (options.recursive) {
        // Every folder between the prefix and the key is a directory of the tree.
        for (
          let slash = key.indexOf('/', prefix.length);
          slash >= 0 && slash < key.length - 1;
          slash = key.indexOf('/', slash + 1)
        ) {
          addDirectory(key.slice(0, slash));
        }
      }
      if (key.endsWith('/')) {
        addDirectory(key.slice(0, -1));
        continue;
      }
      const modified = xmlValue(block, 'LastModified');
      infos.push({
        path: joinPath(bucket, key),
        type: 'file',
        size: Number(xmlValue(block, 'Size') ?? 0),
        ...(modified === undefined ? {} : { mtime: new Date(modified) }),
      });
    }
    for (const block of xmlBlocks(xml, 'CommonPrefixes'))
      addDirectory(listedName(xmlValue(block, 'Prefix'), prefix, what).replace(/\/$/, ''));
    token = tokens.next(xmlValue(xml, 'IsTruncated') === 'true' ? xmlValue(xml, 'NextContinuationToken') : undefined);
    if (options.maxKeys !== undefined) break;
  } while (token !== undefined);
  return infos;
}

/** The names of the buckets the credentials can see. */
export async function listBuckets(client: S3Client): Promise<FileInfo[]> {
  const { text: xml } = await client.requestText({ method: 'GET', bucket: '' });
  return xmlBlocks(xml, 'Bucket').map((block) => ({ path: xmlValue(block, 'Name')!, type: 'directory' as const }));
}

/**
 * What `key` of `bucket` is (the root for `''`, a bucket for an empty key): an object is a
 * file; a common prefix of objects, or a `key/` marker, a directory.
 */
export async function statPath(client: S3Client, bucket: string, key: string): Promise<FileInfo> {
  const clean = key === '' ? bucket : `${bucket}/${key}`;
  if (bucket === '') return { path: '', type: 'directory' };
  const head = await client.request({ method: 'HEAD', bucket, ...(key === '' ? {} : { key }), accept: (s) => s === 404 });
  if (key === '') return { path: clean, type: head.status === 404 ? 'not-found' : 'directory' };
  if (head.status !== 404) {
    const modified = head.headers.get('last-modified');
    const size = contentLength(head);
    return {
      path: clean,
      type: 'file',
      ...(size === undefined ? {} : { size }),
      ...(modified === null ? {} : { mtime: new Date(modified) }),
    };
  }
  return { path: clean, type: (await isDirectory(client, bucket, key)) ? 'directory' : 'not-found' };
}

/**
 * Whether `key` of `bucket` is a directory: objects below it, or its `key/` marker, which the
 * same listing of one key finds (one request where a HEAD of the marker made two). A missing
 * bucket holds no directory.
 */
export async function isDirectory(client: S3Client, bucket: string, key: string): Promise<boolean> {
  const prefix = `${key}/`;
  const query = { 'list-type': '2', prefix, 'max-keys': '1' };
  try {
    const { text: xml } = await client.requestText({ method: 'GET', bucket, query });
    // A key outside the prefix (a store that ignores it) is EPROTO, not a directory everywhere.
    const keys = xmlBlocks(xml, 'Contents').map((block) =>
      listedName(xmlValue(block, 'Key'), prefix, `s3://${bucket}/${prefix}`),
    );
    return keys.length > 0;
  } catch (error) {
    if (error instanceof FileNotFoundError) return false;
    throw error;
  }
}

/**
 * Whether a write to `key` would hide a directory ({@link isDirectory}). A look the
 * credentials may not take says no: write-only rights (`s3:PutObject` alone, a common
 * upload-only policy) deny listing, and the write must go on as S3 allows it.
 */
export async function hidesDirectory(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    return await isDirectory(client, bucket, key);
  } catch (error) {
    if (error instanceof IOError && error.code === 'EACCES') return false;
    throw error;
  }
}
