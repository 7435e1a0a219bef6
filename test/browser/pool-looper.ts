// A worker for the pool checks of the browser tests: it attaches to the page's pool, says so,
// then allocates and releases forever, until the page terminates it. `raw` uses the pool's
// block calls without Buffers, so that the loop spends most of its time in the allocator.
import { attachMemoryPool } from '../../src/memory/wasm/wasm-pool.js';
import type { WasmPoolHandle } from '../../src/memory/wasm/wasm-pool-types.js';

self.onmessage = (event: MessageEvent<{ handle: WasmPoolHandle; sizes: number[]; raw: boolean }>) => {
  const pool = attachMemoryPool(event.data.handle);
  const { sizes, raw } = event.data;
  self.postMessage('looping');
  for (let i = 0; ; i = (i + 1) % sizes.length) {
    if (raw) pool.free(pool.reserve(sizes[i]!));
    else pool.allocate(sizes[i]!).release();
  }
};
