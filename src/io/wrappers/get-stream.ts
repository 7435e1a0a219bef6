import { checkSize } from '../../util/validate.js';
import { checkFile } from '../core/file-check.js';
import type { Async, InputStream, RandomAccessFile, SyncInputStream, SyncRandomAccessFile } from '../core/interfaces.js';
import { NativeFile } from '../core/native-file.js';
import type { UnderlyingFile } from '../core/underlying.js';

/**
 * An input stream over `nbytes` bytes of `file` at `offset`, fewer past its end (Arrow's
 * `RandomAccessFile::GetStream`, PyArrow's `get_stream`). It reads with positional reads, so
 * the file's own position and other readers are untouched; it is synchronous over a
 * synchronous file. Closing it leaves `file` open. A function rather than a method, so
 * that apps that never use it do not carry it.
 */
export function getStream(file: SyncRandomAccessFile, offset: number, nbytes: number): SyncInputStream;
export function getStream(file: RandomAccessFile, offset: number, nbytes: number): Async<InputStream>;
export function getStream(file: RandomAccessFile, offset: number, nbytes: number): SyncInputStream | Async<InputStream> {
  const source = checkFile(file, 'file', 'readable');
  if (!source.seekable())
    throw new TypeError(`getStream needs a random-access file, got a ${source.mode} stream that cannot seek`);
  let position = checkSize(offset, 'offset');
  const end = position + checkSize(nbytes, 'nbytes');
  const take = (into: Uint8Array, bytes: Uint8Array): number => {
    into.set(bytes);
    position += bytes.byteLength;
    return bytes.byteLength;
  };
  const wanted = (into: Uint8Array): number => Math.max(0, Math.min(into.byteLength, end - position));
  const async: UnderlyingFile = { read: (into) => source.readAt(position, wanted(into)).then((bytes) => take(into, bytes)) };
  const sync: UnderlyingFile = { read: (into) => take(into, source.readAtSync(position, wanted(into))) };
  return new NativeFile(source.isSync ? sync : async, {
    kind: 'FileSegment',
    mode: 'rb',
    seekable: false,
    sync: source.isSync,
    async,
  });
}
