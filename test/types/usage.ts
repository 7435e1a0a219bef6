/**
 * Compiled against the built declarations (`dist/types`), as a user's editor sees them: the
 * correct uses compile, and each misuse is a type error (`@ts-expect-error` fails the build
 * if the line it marks compiles).
 */
import {
  AzureFileSystem,
  BlobFile,
  BufferedInputStream,
  BufferOutputStream,
  BufferReader,
  defaultMemoryPool,
  HttpFile,
  inputStream,
  OpfsFile,
  outputStream,
  toReadableStream,
  type AnyRandomAccessFile,
  type SharedMemoryPool,
} from 'nativefile';
import { LocalFileSystem, memoryMap, OSFile, resumableUpload, S3FileSystem } from 'nativefile/node';

export async function uses(blob: Blob, path: string): Promise<void> {
  const reader = new BufferReader(new Uint8Array(8));
  reader.readSync(4);
  reader.readBufferSync(2).hex();
  for (const line of reader.linesSync()) void line;
  // @ts-expect-error an input stream cannot be written
  await reader.write(new Uint8Array(1));

  const input = inputStream(new Uint8Array(4));
  await input.read();
  // @ts-expect-error inputStream() gives an input stream
  await input.write(new Uint8Array(1));
  if (input.isSync) input.readSync(); // isSync narrows

  const upload = new BlobFile(blob);
  await upload.readAt(0, 10);
  // @ts-expect-error a Blob is read asynchronously
  upload.readSync();

  const out = new BufferOutputStream();
  out.writeSync(new Uint8Array(3));
  out.getValue();
  // @ts-expect-error an output stream has no readline
  await out.readline();
  // @ts-expect-error an output stream cannot seek
  out.seek(0);

  const sink = outputStream(new Uint8Array(10));
  await sink.write(new Uint8Array(2));
  // @ts-expect-error outputStream() gives an output stream
  await sink.read();

  const buffered = new BufferedInputStream(reader, 16);
  buffered.readSync(1); // synchronous over a synchronous raw stream
  const bufferedBlob = new BufferedInputStream(upload, 16);
  // @ts-expect-error asynchronous over an asynchronous one
  bufferedBlob.readSync(1);

  const file = new OSFile(path);
  file.readAtSync(0, 4);
  const written = new OSFile(path, 'wb');
  written.writeSync(new Uint8Array(1));
  // @ts-expect-error a file opened for writing cannot be read
  written.readSync();
  memoryMap(path).readBufferSync(4);

  const opfs = await OpfsFile.open('a/b.bin');
  await opfs.readAt(0, 4);
  if (opfs.isSync) opfs.readAtSync(0, 4);
  // @ts-expect-error an OPFS file opened 'rb' cannot be written
  await opfs.write(new Uint8Array(1));
  const anyFile: AnyRandomAccessFile = opfs;
  // @ts-expect-error the async form has no sync methods until narrowed
  anyFile.readSync();

  toReadableStream(reader);
  // @ts-expect-error only readable files become ReadableStreams
  toReadableStream(out);

  // Browser globals the options name (types taken from the program's globals: src/platform/globals.ts).
  await OpfsFile.open('a/c.bin', 'rb', { worker: new Worker('io.js') });
  // @ts-expect-error the worker option takes a Worker, not its URL
  await OpfsFile.open('a/c.bin', 'rb', { worker: 'io.js' });
  await HttpFile.open('https://example.com/a.bin', { headers: { authorization: 'Bearer x' } });
  // @ts-expect-error headers are a HeadersInit
  await HttpFile.open('https://example.com/a.bin', { headers: 42 });
  const s3 = new S3FileSystem({ region: 'us-east-1' });
  await resumableUpload(s3, 'bucket/key', blob);
  const resumable = await s3.openOutputStream('bucket/key', { resumable: true });
  void resumable.resumeToken;
  const plain = await s3.openOutputStream('bucket/key');
  // @ts-expect-error a stream opened without { resumable: true } has no resume token
  void plain.resumeToken;
  // @ts-expect-error a filesystem without resumable uploads (a TypeError at run time)
  await resumableUpload(new LocalFileSystem(), path, blob);
  new AzureFileSystem({ accountName: 'a', sasToken: 'sv=1&sig=x' });
  // @ts-expect-error at most one credential (a TypeError at run time)
  new AzureFileSystem({ accountName: 'a', accountKey: 'a2V5', sasToken: 'sv=1&sig=x' });
  const handle = (defaultMemoryPool() as SharedMemoryPool).handle;
  const memory: WebAssembly.Memory = handle.memory;
  void memory;
}
