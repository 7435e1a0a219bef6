// OS files, sync and async, and a memory map whose reads are zero-copy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryMap, OSFile } from 'nativefile/node';

const path = join(mkdtempSync(join(tmpdir(), 'example-')), 'data.bin');
{
  using out = new OSFile(path, 'w'); // truncates, as Python's open(path, 'wb')
  out.writeSync(new Uint8Array(1 << 20).fill(7));
  await out.write(new TextEncoder().encode('end')); // async: on libuv's thread pool
}
using file = await OSFile.open(path); // 'r'; opening does not block the event loop
const chunk = await file.readBuffer(4096); // straight into pool memory
using map = memoryMap(path, 'r'); // mmap(2) through the native addon
const tail = map.readAtSync(map.sizeSync() - 3, 3); // a view of the mapping, no copy
console.log(chunk.size, new TextDecoder().decode(tail)); // 4096 'end'
