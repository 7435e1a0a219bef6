// A Node program's types without the DOM library (lib: ES2022 only, @types/node): the
// package's declarations must compile there too (skipLibCheck: false).
import { BufferReader, allocateBuffer, defaultMemoryPool } from 'nativefile';
import { OSFile, memoryMap } from 'nativefile/node';

export async function nodeOnly(path: string): Promise<number> {
  const file = new OSFile(path, 'rb');
  const reader = new BufferReader(allocateBuffer(16));
  const mapped = memoryMap(path);
  const size = file.sizeSync() + reader.sizeSync() + mapped.sizeSync() + defaultMemoryPool().bytesAllocated();
  file.closeSync();
  mapped.closeSync();
  return size;
}
