// A worker thread of bench/pool-threads.bench.ts: on each request, allocates and releases the
// sizes it is given `repeat` times, from the pool it attached ('pool'), from a pool of its own
// that no other thread touches ('own': the same code with nothing shared), by the allocator's
// own calls on the shared pool ('calls': its wasm exports, instantiated here as the library
// does, with no Buffer objects: the allocator without the JavaScript around it), or as
// `new ArrayBuffer`, or only computes (for the machine's own scaling: 'compute' is a chain of
// dependent multiplications, 'independent' many independent additions, which share a core's
// execution units as an allocator's work does), and answers when done.
import { parentPort, workerData } from 'node:worker_threads';
import { attachMemoryPool, createWasmMemoryPool } from 'nativefile';

const pool = attachMemoryPool(workerData.handle);
const own = createWasmMemoryPool();
const { module, memory } = workerData.handle;
const words = new Int32Array(memory.buffer);
const allocator = new WebAssembly.Instance(module, {
  env: {
    memory,
    nf_wait: (address, expected) => Atomics.wait(words, address >>> 2, expected, 5),
    nf_notify: (address) => Atomics.notify(words, address >>> 2, 1),
    nf_now: () => performance.now(),
  },
}).exports;
const ticket = allocator.nf_attach(0);
let sink = 0;

function allocateAndRelease(from, sizes, repeat) {
  for (let r = 0; r < repeat; r++) {
    for (const size of sizes) {
      const buffer = from.allocate(size);
      sink += buffer.address;
      buffer.release();
    }
  }
}

parentPort.on('message', ({ kind, sizes, repeat }) => {
  if (kind === 'pool') {
    allocateAndRelease(pool, sizes, repeat);
  } else if (kind === 'own') {
    allocateAndRelease(own, sizes, repeat);
  } else if (kind === 'calls') {
    for (let r = 0; r < repeat; r++) {
      for (const size of sizes) {
        const capacity = (size + 63) & ~63;
        const address = allocator.nf_alloc(ticket, capacity);
        sink += address;
        allocator.nf_free(ticket, address, capacity);
      }
    }
  } else if (kind === 'arraybuffer') {
    for (let r = 0; r < repeat; r++) for (const size of sizes) sink += new ArrayBuffer(size).byteLength;
  } else if (kind === 'independent') {
    let [a, b, c, d] = [sink, 1, 2, 3];
    for (let r = 0; r < repeat; r++) {
      for (const size of sizes) {
        for (let i = 0; i < 12; i++) {
          a = (a + size) | 0;
          b = (b ^ i) | 0;
          c = (c + a) | 0;
          d = ((d ^ b) + 1) | 0;
        }
      }
    }
    sink = a + b + c + d;
  } else {
    // About as much work per step as an allocation and its release, touching no shared memory.
    for (let r = 0; r < repeat; r++) for (const size of sizes) for (let i = 0; i < 20; i++) sink = (sink * 31 + size + i) | 0;
  }
  parentPort.postMessage(sink);
});
