/**
 * The file classes of {@link AzureFileSystem}: {@link AzureFile} reads a blob as a
 * random-access file through the same machinery as `HttpFile` (ranged GETs, authorized,
 * conditional on the ETag, retried, coalesced); {@link AzureOutputStream} writes one, or
 * resumably (`azure-resumable.ts`).
 * @module
 */
import { fileClass } from '../../io/core/file-class.js';
import type { Async, OutputStream, RandomAccessFile } from '../../io/core/interfaces.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { resumeTokenOf, suspendUpload, type UploadControl } from '../uploads/upload-control.js';

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

/** What a resumable upload's stream asks of it: where it starts, besides its control. */
export interface ResumableControl extends UploadControl {
  /** The bytes durable when the stream opens: its first `tell()`. */
  readonly position: number;
}

/**
 * A blob open for writing (`'wb'`: staged blocks, committed on `close()`) or appending
 * (`'ab'`, `tell()` starting at the blob's size). One opened with `{ resumable: true }` (or
 * by `resumeOutputStream`) is an {@link AzureResumableOutputStream}, with a resume token.
 */
export class AzureOutputStream extends fileClass<Async<OutputStream>>() {
  /** The blob's path, `container/blob`. */
  readonly path: string;
  /** @internal A resumable upload's control; `undefined` for others. */
  protected readonly resumable: ResumableControl | undefined;

  /** @internal Use `AzureFileSystem.openOutputStream` or `openAppendStream`. */
  constructor(underlying: UnderlyingFile, path: string, appendAt?: number, resumable?: ResumableControl) {
    const position = appendAt ?? resumable?.position;
    super(underlying, {
      kind: 'AzureOutputStream',
      mode: appendAt === undefined ? 'wb' : 'ab',
      seekable: false,
      sync: false,
      ...(position === undefined ? {} : { position }),
    });
    this.path = path;
    this.resumable = resumable;
  }

  /** The bytes Azure holds staged for good: the blocks done from the first on, without a gap (0 if not resumable). */
  get bytesDurable(): number {
    return this.resumable?.durable() ?? 0;
  }
}

/**
 * A resumable upload of a blob (`openOutputStream(path, { resumable: true })`, or
 * `resumeOutputStream`): its resume token reopens it after a crash or a reload.
 */
export class AzureResumableOutputStream extends AzureOutputStream {
  /**
   * The resume token (a JSON string: the upload id, the block size, the ids of the blocks
   * done, the bytes durable), current as blocks are staged.
   */
  get resumeToken(): string {
    return resumeTokenOf(this.resumable, this.path);
  }

  /**
   * Stops the upload without committing or discarding it: blocks in flight are cancelled and
   * the stream closes; the staged blocks stay on Azure (about a week) to be resumed from the
   * token returned. (`abort()` discards the upload instead.)
   */
  suspend(): Promise<string> {
    return suspendUpload(this.resumable, this.path, (reason) => this.abort(reason));
  }
}
