/**
 * The file classes of {@link HadoopFileSystem}: {@link HdfsFile} for reading (OPEN with
 * `offset` and `length` through the shared remote-file machinery) and
 * {@link HdfsOutputStream} for writing.
 * @module
 */
import { fileClass } from '../../io/core/file-class.js';
import type { Async, OutputStream, RandomAccessFile } from '../../io/core/interfaces.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';

/**
 * An HDFS file open for reading: positional reads, read-ahead, and coalesced `readRanges`,
 * each read an OPEN with `offset` and `length` that the NameNode redirects to a DataNode.
 * HDFS has no ETag, so unlike `HttpFile` a file replaced while open is not detected.
 */
export class HdfsFile extends fileClass<Async<RandomAccessFile>>() {
  /** The file's absolute path. */
  readonly path: string;

  /** @internal Use `HadoopFileSystem.openInputFile`. */
  constructor(underlying: UnderlyingFile, path: string, size: number) {
    super(underlying, { kind: 'HdfsFile', mode: 'rb', seekable: true, sync: false, knownSize: () => size });
    this.path = path;
  }
}

/** An HDFS file open for writing or appending. */
export class HdfsOutputStream extends fileClass<Async<OutputStream>>() {
  /** The file's absolute path. */
  readonly path: string;

  /** @internal Use `HadoopFileSystem.openOutputStream` or `openAppendStream`. */
  constructor(underlying: UnderlyingFile, path: string, append: boolean) {
    super(underlying, { kind: 'HdfsOutputStream', mode: append ? 'ab' : 'wb', seekable: false, sync: false });
    this.path = path;
  }
}
