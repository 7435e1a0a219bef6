/**
 * `createDir` below a container: an empty `dir/` marker blob for each missing level, as
 * pyarrow writes them, after checking that no level is a file.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { parentPath } from '../paths.js';
import { ensureMarker, statBlob } from './azure-blobs.js';
import type { AzureClient } from './azure-client.js';

/** Creates `container` (accepting that it exists). */
export async function createContainer(client: AzureClient, container: string): Promise<void> {
  await client.request({ method: 'PUT', container, query: { restype: 'container' }, accept: (s) => s === 409 });
}

/**
 * Creates the directory `blob` of `container`: its missing levels as markers, and the
 * container itself if it is missing. Without `recursive` the parent must exist.
 */
export async function createBlobDir(client: AzureClient, container: string, blob: string, recursive: boolean): Promise<void> {
  const levels: string[] = [];
  for (let level = blob; level !== '' && level !== '/'; level = parentPath(level)) levels.unshift(level);
  const stats = await Promise.all(levels.map((level) => statBlob(client, container, level)));
  const [itself, ...above] = [stats.at(-1)!, ...stats.slice(0, -1)];
  if (itself.kind === 'file') throw new IOError(`a file exists at ${container}/${blob}`, { code: 'EEXIST' });
  const fileAbove = above.findIndex((stat) => stat.kind === 'file');
  if (fileAbove >= 0) throw new IOError(`not a directory: ${container}/${levels[fileAbove]}`, { code: 'ENOTDIR' });
  if (itself.kind === 'directory') return;
  const containerMissing = stats.some((stat) => stat.kind === 'missing' && stat.containerMissing);
  const parentMissing = levels.length > 1 && above.at(-1)!.kind === 'missing';
  if (!recursive && (containerMissing || parentMissing))
    throw new FileNotFoundError(`the parent of ${container}/${blob} does not exist (createDir without recursive)`);
  if (containerMissing) await createContainer(client, container);
  for (const [i, level] of levels.entries()) if (stats[i]!.kind === 'missing') await ensureMarker(client, container, level);
}
