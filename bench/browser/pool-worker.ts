// A worker of the browser pool benchmark: attaches to the page's wasm pool and makes a pool of
// its own, then on each request allocates and releases the sizes `repeat` times from the
// shared pool ('pool') or from its own ('own': the same code, nothing shared with the other
// worker), or only computes, for the machine's own scaling ('compute': dependent
// multiplications; 'independent': independent additions, which share a core's execution units
// as an allocator's work does), and answers when done.
import { attachMemoryPool, createWasmMemoryPool, type MemoryPool, type WasmPoolHandle } from '../../src/index.js';

let pool: MemoryPool | undefined;
let own: MemoryPool | undefined;
let sink = 0;

function allocateAndRelease(from: MemoryPool, sizes: number[], repeat: number): void {
  for (let r = 0; r < repeat; r++) {
    for (const size of sizes) {
      const buffer = from.allocate(size);
      sink += buffer.address;
      buffer.release();
    }
  }
}

function independent(sizes: number[], repeat: number): void {
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
}

self.onmessage = (event: MessageEvent<{ handle?: WasmPoolHandle; kind: string; sizes: number[]; repeat: number }>) => {
  const { handle, kind, sizes, repeat } = event.data;
  if (handle !== undefined) {
    pool = attachMemoryPool(handle);
    own = createWasmMemoryPool();
  } else if (kind === 'pool') {
    allocateAndRelease(pool!, sizes, repeat);
  } else if (kind === 'own') {
    allocateAndRelease(own!, sizes, repeat);
  } else if (kind === 'independent') {
    independent(sizes, repeat);
  } else {
    for (let r = 0; r < repeat; r++) for (const size of sizes) for (let i = 0; i < 20; i++) sink = (sink * 31 + size + i) | 0;
  }
  self.postMessage(sink);
};
