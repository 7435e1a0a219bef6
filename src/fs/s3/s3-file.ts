/**
 * {@link S3File}: an S3 object read as a random-access file, through the same machinery
 * as `HttpFile` (ranged GETs, signed, conditional on the ETag, retried, coalesced).
 * @module
 */
import { fileClass } from '../../io/core/file-class.js';
import type { Async, OutputStream, RandomAccessFile } from '../../io/core/interfaces.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { resumeTokenOf, suspendUpload, type UploadControl } from '../uploads/upload-control.js';

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

/**
 * An S3 multipart upload open for writing; `S3FileSystem.openOutputStream` makes them. One
 * opened with `{ resumable: true }` (or by `resumeOutputStream`) is an
 * {@link S3ResumableOutputStream}, with a resume token.
 */
export class S3OutputStream extends fileClass<Async<OutputStream>>() {
  /** The object's path, `bucket/key`. */
  readonly path: string;
  /** @internal The upload's parts: what is durable, and for a resumable one its token. */
  protected readonly control: UploadControl;

  /** @internal Use `S3FileSystem.openOutputStream`. */
  constructor(underlying: UnderlyingFile, path: string, control: UploadControl, position = 0) {
    super(underlying, { kind: 'S3OutputStream', mode: 'wb', seekable: false, sync: false, position });
    this.path = path;
    this.control = control;
  }

  /** The bytes S3 holds for good: the parts done from the first on, without a gap. */
  get bytesDurable(): number {
    return this.control.durable();
  }
}

/**
 * A resumable S3 multipart upload (`openOutputStream(path, { resumable: true })`, or
 * `resumeOutputStream`): its resume token reopens it after a crash or a reload.
 */
export class S3ResumableOutputStream extends S3OutputStream {
  /**
   * The resume token (a JSON string: the upload id, the part size, the parts done and their
   * ETags, the bytes durable), current as parts complete.
   */
  get resumeToken(): string {
    return resumeTokenOf(this.control, this.path);
  }

  /**
   * Stops the upload without completing or discarding it: parts in flight are cancelled and
   * the stream closes; the upload stays on S3 to be resumed from the token returned.
   * (`abort()` discards it instead.)
   */
  suspend(): Promise<string> {
    return suspendUpload(this.control, this.path, (reason) => this.abort(reason));
  }
}
