// A worker of the browser pool benchmark: attaches to the page's wasm pool, then on each
// request does the work it is asked for (bench/pool-work.mjs) and answers when done.
import { attachMemoryPool, createWasmMemoryPool, type WasmPoolHandle } from '../../src/index.js';
import { poolWork } from '../pool-work.mjs';

let run: ReturnType<typeof poolWork> | undefined;

self.onmessage = (event: MessageEvent<{ handle?: WasmPoolHandle; kind: string; sizes: number[]; repeat: number }>) => {
  const { handle, kind, sizes, repeat } = event.data;
  if (handle !== undefined) {
    run = poolWork(handle, { shared: attachMemoryPool(handle), own: createWasmMemoryPool() });
    self.postMessage(0);
  } else {
    self.postMessage(run!(kind, sizes, repeat));
  }
};
