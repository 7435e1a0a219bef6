// A Node program's types: lib ES2022 without the DOM library, @types/node, skipLibCheck off,
// NodeNext resolution. It imports every entry, the worker's too (its protocol types).
import { writeFileSync } from 'node:fs';
import { BufferOutputStream, CompressedOutputStream, type Codec } from 'nativefile';
import { LocalFileSystem, OSFile, inputStream, memoryMap } from 'nativefile/node';
import type { Call, ReplyTarget } from 'nativefile/worker';

export async function main(path: string, codec: Codec): Promise<number> {
  writeFileSync(path, 'a line\nanother line\n');
  using file = new OSFile(path, 'rb');
  const first: Uint8Array = file.readSync(6);
  using mapped = memoryMap(path);
  const mappedSize: number = mapped.sizeSync();
  const sink = new BufferOutputStream();
  const compressed = new CompressedOutputStream(sink, codec);
  await compressed.write(first);
  await compressed.close();
  for await (const line of inputStream(path).lines()) console.log(line.byteLength);
  const info = await new LocalFileSystem().getFileInfo(path);
  return first.byteLength + mappedSize + sink.getValue().size + (info.size ?? 0);
}

/** A reply target logging what the IO worker would send. */
export const logReplies: ReplyTarget = { postMessage: (message) => console.log(message) };
export const calls: Call[] = [];
