// What a file can do is in its type: misuse is a compile error, and a run-time error in JavaScript.
import { BlobFile, BufferReader, inputStream, type AnyRandomAccessFile } from 'nativefile';

const input = inputStream(new Uint8Array([1, 2, 3])); // an input stream: no write()
const reader = new BufferReader(new TextEncoder().encode('abcdef')); // synchronous random access
const blob = new BlobFile(new Blob(['xyz'])); // asynchronous random access: no readSync()

async function firstBytes(file: AnyRandomAccessFile, n: number): Promise<Uint8Array> {
  return file.isSync ? file.readAtSync(0, n) : file.readAt(0, n); // isSync narrows the type
}
console.log(await firstBytes(reader, 3), await firstBytes(blob, 2), await input.read());
