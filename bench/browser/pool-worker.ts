// A worker of the browser pool benchmark: attaches to the page's wasm pool and makes a pool of
// its own, then on each request allocates and releases the sizes `repeat` times from the
// shared pool ('pool'), by the allocator's own calls on it ('calls': its wasm exports with no
// Buffer objects), or from its own pool ('own': the library's code, nothing shared with the
// other worker), or only computes, for the machine's own scaling ('compute': dependent
// multiplications; 'independent': independent additions), and answers when done.
import { attachMemoryPool, createWasmMemoryPool, type MemoryPool, type WasmPoolHandle } from '../../src/index.js';

interface AllocatorCalls {
  nf_attach(hostId: number): number;
  nf_alloc(ticket: number, size: number): number;
  nf_free(ticket: number, offset: number, size: number): number;
}

let pool: MemoryPool | undefined;
let own: MemoryPool | undefined;
let allocator: AllocatorCalls | undefined;
let ticket = 0;

/** The allocator's exports on the pool's memory, instantiated as the library does. */
function instantiate({ module, memory }: WasmPoolHandle): AllocatorCalls {
  const words = new Int32Array(memory.buffer as unknown as SharedArrayBuffer);
  const env = {
    memory,
    nf_wait: (address: number, expected: number) => Atomics.wait(words, address >>> 2, expected, 5),
    nf_notify: (address: number) => Atomics.notify(words, address >>> 2, 1),
    nf_now: () => performance.now(),
  };
  return new WebAssembly.Instance(module, { env }).exports as unknown as AllocatorCalls;
}

function calls(sizes: number[], repeat: number): void {
  for (let r = 0; r < repeat; r++) {
    for (const size of sizes) {
      const capacity = (size + 63) & ~63;
      const address = allocator!.nf_alloc(ticket, capacity);
      sink += address;
      allocator!.nf_free(ticket, address, capacity);
    }
  }
}
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
    allocator = instantiate(handle);
    ticket = allocator.nf_attach(0);
  } else if (kind === 'pool') {
    allocateAndRelease(pool!, sizes, repeat);
  } else if (kind === 'calls') {
    calls(sizes, repeat);
  } else if (kind === 'own') {
    allocateAndRelease(own!, sizes, repeat);
  } else if (kind === 'independent') {
    independent(sizes, repeat);
  } else {
    for (let r = 0; r < repeat; r++) for (const size of sizes) for (let i = 0; i < 20; i++) sink = (sink * 31 + size + i) | 0;
  }
  self.postMessage(sink);
};
