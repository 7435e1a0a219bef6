/**
 * List Blobs and List Containers, page by page (`NextMarker`), as {@link FileInfo}s. A flat
 * namespace has no directories: a directory is a common prefix of blob names, an empty
 * `dir/` marker blob (as pyarrow's `AzureFileSystem` writes them), or a blob whose metadata
 * says it is a folder (`hdi_isfolder`, as Data Lake Storage and adlfs mark them).
 * @module
 */
import { IOError } from '../../errors.js';
import { listedName, PageTokens } from '../../remote/listing-checks.js';
import { decodeXml, xmlBlocks, xmlValue } from '../../remote/xml.js';
import type { FileInfo } from '../file-system.js';
import { joinPath } from '../paths.js';
import type { AzureClient } from './azure-client.js';

/** How to list. */
export interface ListOptions {
  /** Every blob below the prefix, not just the next level. */
  readonly recursive: boolean;
  /** Entries per request (Azure's `maxresults`; the service's default is 5000). */
  readonly pageSize?: number | undefined;
  /** Stop after the first page with an entry (an existence check). */
  readonly firstPageOnly?: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** One blob of a listing. */
export interface ListedBlob {
  readonly name: string;
  readonly size: number;
  readonly mtime?: Date;
  /** Whether its metadata marks it as a folder. */
  readonly folder: boolean;
}

/** A blob name element's text (names with characters XML cannot carry come percent-encoded). */
function nameOf(block: string): string {
  const match = /<Name(\s[^>]*)?>([\s\S]*?)<\/Name>/.exec(block);
  if (match === null) return '';
  const text = decodeXml(match[2]!);
  if (!/Encoded\s*=\s*"true"/i.test(match[1] ?? '')) return text;
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new IOError(`a listing holds a blob name marked encoded that is not: ${JSON.stringify(text)}`, {
      code: 'EPROTO',
      cause,
    });
  }
}

/** Whether a blob's metadata marks it as a directory. */
export function isFolderMetadata(metadata: Record<string, string>): boolean {
  return Object.entries(metadata).some(([key, value]) => /^(hdi_isfolder|is_directory)$/i.test(key) && value.trim() === 'true');
}

/**
 * Pages of blobs (and, with a delimiter, prefixes) under `prefix` in `container`, handed to
 * `onPage` as they arrive.
 */
export async function forEachBlobPage(
  client: AzureClient,
  container: string,
  prefix: string,
  options: ListOptions,
  onPage: (blobs: ListedBlob[], prefixes: string[]) => void | Promise<void>,
): Promise<void> {
  const what = `azure://${container}/${prefix}`;
  const markers = new PageTokens(what);
  let marker: string | undefined;
  do {
    const query: Record<string, string> = { restype: 'container', comp: 'list', include: 'metadata' };
    if (prefix !== '') query['prefix'] = prefix;
    if (!options.recursive) query['delimiter'] = '/';
    if (options.pageSize !== undefined) query['maxresults'] = String(options.pageSize);
    if (marker !== undefined) query['marker'] = marker;
    const { text: xml } = await client.requestText({ method: 'GET', container, query, signal: options.signal });
    const blobs = xmlBlocks(xml, 'Blob').map((block): ListedBlob => {
      const modified = xmlValue(block, 'Last-Modified');
      const metadata = Object.fromEntries(
        [...(xmlValue(block, 'Metadata') ?? '').matchAll(/<([\w-]+)>([^<]*)<\/\1>/g)].map((m) => [m[1]!, decodeXml(m[2]!)]),
      );
      return {
        name: listedName(nameOf(block), prefix, what),
        size: Number(xmlValue(block, 'Content-Length') ?? 0),
        ...(modified === undefined ? {} : { mtime: new Date(modified) }),
        folder: isFolderMetadata(metadata),
      };
    });
    const prefixes = xmlBlocks(xml, 'BlobPrefix').map((block) => listedName(nameOf(block), prefix, what));
    await onPage(blobs, prefixes);
    marker = markers.next(xmlValue(xml, 'NextMarker') || undefined);
    // Azure may answer a page with no entry and a marker to go on (pyarrow met it: GH-49043).
    if (options.firstPageOnly === true && blobs.length + prefixes.length > 0) break;
  } while (marker !== undefined);
}

/** The entries under `prefix` (`''` or ending in `/`) of `container`, as `container/name` paths. */
export async function listBlobs(
  client: AzureClient,
  container: string,
  prefix: string,
  options: ListOptions,
): Promise<FileInfo[]> {
  const infos: FileInfo[] = [];
  const directories = new Set<string>();
  const addDirectory = (name: string) => {
    if (name.length <= prefix.length || directories.has(name)) return;
    directories.add(name);
    infos.push({ path: joinPath(container, name), type: 'directory' });
  };
  await forEachBlobPage(client, container, prefix, options, (blobs, prefixes) => {
    for (const blob of blobs) {
      if (options.recursive) {
        // Every folder between the prefix and the blob is a directory of the tree.
        for (let slash = blob.name.indexOf('/', prefix.length); slash >= 0; slash = blob.name.indexOf('/', slash + 1)) {
          addDirectory(blob.name.slice(0, slash));
        }
      }
      if (blob.name.endsWith('/')) addDirectory(blob.name.slice(0, -1));
      else if (blob.folder) addDirectory(blob.name);
      else {
        infos.push({
          path: joinPath(container, blob.name),
          type: 'file',
          size: blob.size,
          ...(blob.mtime === undefined ? {} : { mtime: blob.mtime }),
        });
      }
    }
    for (const name of prefixes) addDirectory(name.replace(/\/$/, ''));
  });
  return infos;
}

/** Every container of the account, as directories. */
export async function listContainers(client: AzureClient, pageSize?: number): Promise<FileInfo[]> {
  const infos: FileInfo[] = [];
  const markers = new PageTokens('the containers');
  let marker: string | undefined;
  do {
    const query: Record<string, string> = { comp: 'list' };
    if (pageSize !== undefined) query['maxresults'] = String(pageSize);
    if (marker !== undefined) query['marker'] = marker;
    const { text: xml } = await client.requestText({ method: 'GET', container: '', query });
    for (const block of xmlBlocks(xml, 'Container')) {
      const modified = xmlValue(block, 'Last-Modified');
      infos.push({ path: nameOf(block), type: 'directory', ...(modified === undefined ? {} : { mtime: new Date(modified) }) });
    }
    marker = markers.next(xmlValue(xml, 'NextMarker') || undefined);
  } while (marker !== undefined);
  return infos;
}
