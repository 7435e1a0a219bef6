// A worker thread of bench/pool-threads.bench.ts: on each request, allocates and releases the
// sizes it is given `repeat` times, from the pool it attached (or as `new ArrayBuffer`, or
// only computes, for the machine's own scaling), and answers when done.
import { parentPort, workerData } from 'node:worker_threads';
import { attachMemoryPool } from 'nativefile';

const pool = attachMemoryPool(workerData.handle);
let sink = 0;

parentPort.on('message', ({ kind, sizes, repeat }) => {
  if (kind === 'pool') {
    for (let r = 0; r < repeat; r++) {
      for (const size of sizes) {
        const buffer = pool.allocate(size);
        sink += buffer.address;
        buffer.release();
      }
    }
  } else if (kind === 'arraybuffer') {
    for (let r = 0; r < repeat; r++) for (const size of sizes) sink += new ArrayBuffer(size).byteLength;
  } else {
    // About as much work per step as an allocation and its release, touching no shared memory.
    for (let r = 0; r < repeat; r++) for (const size of sizes) for (let i = 0; i < 20; i++) sink = (sink * 31 + size + i) | 0;
  }
  parentPort.postMessage(sink);
});
