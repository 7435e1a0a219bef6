/**
 * The file classes of {@link AzureFileSystem}: {@link AzureFile} reads a blob as a
 * random-access file through the same machinery as `HttpFile` (ranged GETs, authorized,
 * conditional on the ETag, retried, coalesced); {@link AzureOutputStream} writes one.
 * @module
 */
import { fileClass } from '../../io/core/file-class.js';
import type { Async, OutputStream, RandomAccessFile } from '../../io/core/interfaces.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';

/** A blob open for reading; `AzureFileSystem.openInputFile` makes them. */
export class AzureFile extends fileClass<Async<RandomAccessFile>>() {
  /** The blob's path, `container/blob`. */
  readonly path: string;
  /** The ETag every read is conditional on. */
  readonly etag: string | undefined;

  /** @internal Use `AzureFileSystem.openInputFile`. */
  constructor(underlying: UnderlyingFile, path: string, size: number, etag: string | undefined) {
    super(underlying, { kind: 'AzureFile', mode: 'rb', seekable: true, sync: false, knownSize: () => size });
    this.path = path;
    this.etag = etag;
  }
}

/**
 * A blob open for writing (`'wb'`: staged blocks, committed on `close()`) or appending
 * (`'ab'`, `tell()` starting at the blob's size).
 */
export class AzureOutputStream extends fileClass<Async<OutputStream>>() {
  /** The blob's path, `container/blob`. */
  readonly path: string;

  /** @internal Use `AzureFileSystem.openOutputStream` or `openAppendStream`. */
  constructor(underlying: UnderlyingFile, path: string, appendAt?: number) {
    super(underlying, {
      kind: 'AzureOutputStream',
      mode: appendAt === undefined ? 'wb' : 'ab',
      seekable: false,
      sync: false,
      ...(appendAt === undefined ? {} : { position: appendAt }),
    });
    this.path = path;
  }
}
