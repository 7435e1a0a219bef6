// Compressed files by extension, and a codec for buffers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Codec, inputStream, outputStream } from 'nativefile/node';

const path = join(mkdtempSync(join(tmpdir(), 'example-')), 'log.txt.zst');
const out = outputStream(path); // zstd, from the extension (.gz .bz2 .br .lz4 .zst)
await out.write(new TextEncoder().encode('first line\nsecond line\n'));
await out.close();
for await (const line of inputStream(path, { maxOutputBytes: 1 << 30 }).lines()) process.stdout.write(line);

const lz4 = await Codec.open('lz4'); // loads its code once; compress/decompress are then synchronous
const packed = lz4.compress(new Uint8Array(1 << 16).fill(1));
console.log(packed.size, lz4.decompress(packed).size); // a few hundred bytes, 65536
