// A worker of the browser pool benchmark: attaches to the page's wasm pool, then on each
// request allocates and releases the sizes `repeat` times (or, for the machine's own scaling,
// only computes) and answers when done.
import { attachMemoryPool, type MemoryPool, type WasmPoolHandle } from '../../src/index.js';

let pool: MemoryPool | undefined;
let sink = 0;

self.onmessage = (event: MessageEvent<{ handle?: WasmPoolHandle; kind: string; sizes: number[]; repeat: number }>) => {
  const { handle, kind, sizes, repeat } = event.data;
  if (handle !== undefined) {
    pool = attachMemoryPool(handle);
  } else if (kind === 'pool') {
    for (let r = 0; r < repeat; r++) {
      for (const size of sizes) {
        const buffer = pool!.allocate(size);
        sink += buffer.address;
        buffer.release();
      }
    }
  } else {
    for (let r = 0; r < repeat; r++) for (const size of sizes) for (let i = 0; i < 20; i++) sink = (sink * 31 + size + i) | 0;
  }
  self.postMessage(sink);
};
