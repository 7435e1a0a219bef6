/**
 * Path helpers shared by the filesystems. Paths use `/` and no scheme, as in pyarrow.
 * @module
 */
import { describe } from '../util/validate.js';

/** Checks that `path` is a string and returns it without trailing slashes (`//` is `/`). */
export function checkPath(path: unknown, name = 'path'): string {
  if (typeof path !== 'string') throw new TypeError(`${name} must be a string, got ${describe(path)}`);
  if (path.includes('\0')) throw new TypeError(`${name} must not contain NUL characters, got ${describe(path)}`);
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' && path !== '' ? '/' : trimmed;
}

/**
 * Checks a remote store's path (S3, Azure, WebHDFS) before any request: besides
 * {@link checkPath}, no segment may be empty, `.` or `..`. A URL parser folds such segments
 * (`bkt/x/..` becomes `bkt/`, `%2e%2e` too), so they would reach another object or the
 * bucket itself. One leading slash and trailing slashes are allowed; `''` and `/` name the root.
 * @throws RangeError naming the path.
 */
export function checkRemotePath(path: unknown, name = 'path'): string {
  const clean = checkPath(path, name);
  const inner = clean.startsWith('/') ? clean.slice(1) : clean;
  if (inner === '') return clean;
  for (const segment of inner.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new RangeError(
        `${name} must not have an empty, '.' or '..' segment (a URL would fold it into another object), got ${JSON.stringify(clean)}`,
      );
    }
  }
  return clean;
}

/**
 * Splits an object store's path, checked as {@link checkRemotePath} does, into its top
 * level (an S3 bucket, an Azure container) and the name below it; either may be empty.
 */
export function splitTop(path: unknown, name = 'path'): [top: string, rest: string] {
  const clean = checkRemotePath(path, name).replace(/^\/+/, '');
  const slash = clean.indexOf('/');
  return slash < 0 ? [clean, ''] : [clean.slice(0, slash), clean.slice(slash + 1)];
}

/** The path of `name` inside `dir`. */
export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The folder holding `path` (`''` for a top-level name, `/` for one below the root). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '';
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** The last part of `path`. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `path` as an absolute path (a leading `/`), for stores whose paths are absolute. */
export function absolutePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** Percent-encodes a path segment as RFC 3986 wants it (also `!'()*`, which `encodeURIComponent` leaves). */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Percent-encodes each segment of `path`, keeping its slashes, for a URL's path. This is the
 * last point before a request, and names reach it that no caller checked (keys a listing
 * returned), so a `.` or `..` segment, which every URL parser folds (`%2e` too) into another
 * object or the bucket itself, is refused here as well.
 * @throws RangeError naming the path.
 */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      if (segment === '.' || segment === '..')
        throw new RangeError(`a '.' or '..' segment would reach another object through the URL, in ${JSON.stringify(path)}`);
      return encodeSegment(segment);
    })
    .join('/');
}
