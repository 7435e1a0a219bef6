// The work of the pool benchmarks' threads, written once for Node's worker threads
// (bench/pool-thread.worker.mjs) and the browsers' workers (bench/browser/pool-worker.ts): the
// sizes allocated and released `repeat` times from the pool the threads share ('pool'), from a
// pool of the thread's own ('own': the same code with nothing shared), by the allocator's own
// calls on the shared pool ('calls': its wasm exports, instantiated here as the library does,
// with no Buffer objects), or as `new ArrayBuffer`; or only arithmetic, for what the machine
// gives 2 threads at the time ('compute': a chain of dependent multiplications;
// 'independent': independent additions; 'memory': loads and stores in the thread's own array).

/** 1,000 sizes, log-uniform from 64 B to `top` bytes, in a fixed scattered order. */
export const sizesUpTo = (top) =>
  Array.from({ length: 1000 }, (_, i) => Math.round(64 * (top / 64) ** (((i * 7919) % 1000) / 1000)));

/** The allocator's exports on the shared pool's memory, instantiated as the library does. */
function instantiate({ module, memory }) {
  const words = new Int32Array(memory.buffer);
  const env = {
    memory,
    nf_wait: (address, expected) => Atomics.wait(words, address >>> 2, expected, 5),
    nf_notify: (address) => Atomics.notify(words, address >>> 2, 1),
    nf_now: () => performance.now(),
  };
  return new WebAssembly.Instance(module, { env }).exports;
}

/** A thread's work on the pool whose handle this is: `run(kind, sizes, repeat)` returns a sink value. */
export function poolWork(handle, { shared, own }) {
  const allocator = instantiate(handle);
  const ticket = allocator.nf_attach(0);
  let sink = 0;
  const scratch = new Int32Array(4096);
  const allocateAndRelease = (from, sizes, repeat) => {
    for (let r = 0; r < repeat; r++) {
      for (const size of sizes) {
        const buffer = from.allocate(size);
        sink += buffer.address;
        buffer.release();
      }
    }
  };
  const kinds = {
    pool: (sizes, repeat) => allocateAndRelease(shared, sizes, repeat),
    own: (sizes, repeat) => allocateAndRelease(own, sizes, repeat),
    calls(sizes, repeat) {
      for (let r = 0; r < repeat; r++) {
        for (const size of sizes) {
          const capacity = (size + 63) & ~63;
          const address = allocator.nf_alloc(ticket, capacity);
          sink += address;
          allocator.nf_free(ticket, address, capacity);
        }
      }
    },
    arraybuffer(sizes, repeat) {
      for (let r = 0; r < repeat; r++) for (const size of sizes) sink += new ArrayBuffer(size).byteLength;
    },
    // About as much work per step as an allocation and its release, touching no shared memory.
    compute(sizes, repeat) {
      for (let r = 0; r < repeat; r++) for (const size of sizes) for (let i = 0; i < 20; i++) sink = (sink * 31 + size + i) | 0;
    },
    // About as much work per step, reading and writing a 16 KiB array of the thread's own (in its
    // core's L1 cache): what the machine gives 2 threads whose work touches memory, which
    // arithmetic alone does not show.
    memory(sizes, repeat) {
      let j = sink & 4095;
      for (let r = 0; r < repeat; r++) {
        for (const size of sizes) {
          for (let i = 0; i < 16; i++) {
            scratch[j] = (scratch[j] + size) | 0;
            j = (j * 31 + scratch[(j + 1) & 4095] + 7) & 4095;
          }
        }
      }
      sink = j;
    },
    independent(sizes, repeat) {
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
    },
  };
  return (kind, sizes, repeat) => {
    const work = kinds[kind];
    if (work === undefined) throw new TypeError(`no such work: ${kind}`);
    work(sizes, repeat);
    return sink;
  };
}
