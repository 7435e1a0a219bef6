/**
 * {@link S3File}: an S3 object read as a random-access file, through the same machinery
 * as `HttpFile` (ranged GETs, signed, conditional on the ETag, retried, coalesced).
 * @module
 */
import { fileClass } from '../../io/core/file-class.js';
import type { Async, OutputStream, RandomAccessFile } from '../../io/core/interfaces.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';

/** An S3 object open for reading; `S3FileSystem.openInputFile` makes them. */
export class S3File extends fileClass<Async<RandomAccessFile>>() {
  /** The object's path, `bucket/key`. */
  readonly path: string;

  /** @internal Use `S3FileSystem.openInputFile`. */
  constructor(underlying: UnderlyingFile, path: string, size: number) {
    super(underlying, { kind: 'S3File', mode: 'rb', seekable: true, sync: false, knownSize: () => size });
    this.path = path;
  }
}

/** An S3 multipart upload open for writing; `S3FileSystem.openOutputStream` makes them. */
export class S3OutputStream extends fileClass<Async<OutputStream>>() {
  /** The object's path, `bucket/key`. */
  readonly path: string;

  /** @internal Use `S3FileSystem.openOutputStream`. */
  constructor(underlying: UnderlyingFile, path: string) {
    super(underlying, { kind: 'S3OutputStream', mode: 'wb', seekable: false, sync: false });
    this.path = path;
  }
}
