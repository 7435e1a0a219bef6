// Pooled memory, zero-copy reads, lines, and copies between files and streams.
import { allocateBuffer, BufferOutputStream, BufferReader, defaultMemoryPool } from 'nativefile';

const out = new BufferOutputStream();
out.writeSync(new TextEncoder().encode('hello\nworld\n'));
const buffer = out.getValue(); // a Buffer of exactly 12 bytes, no copy

using reader = new BufferReader(buffer);
console.log(reader.readBufferSync(5).hex()); // '68656C6C6F', a slice of `buffer`
console.log(reader.readAtSync(6, 5)); // Uint8Array 'world', the position unchanged
for (const line of reader.linesSync()) console.log(line.byteLength); // 1 ('\n' rest of line 1), then 6

const scratch = allocateBuffer(1 << 20); // pool memory, 64-byte aligned (from 256 KiB: on a 4 KiB page)
console.log(defaultMemoryPool().bytesAllocated() >= 1 << 20); // true
scratch.release(); // given back now (or when garbage-collected)

const sink = new BufferOutputStream();
await sink.upload(new Blob(['some bytes from the user']).stream(), { onProgress: (n) => console.log(`${n} bytes`) });
