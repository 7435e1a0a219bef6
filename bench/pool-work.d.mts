import type { MemoryPool, WasmPoolHandle } from '../src/index.js';

/** A thread's work on the pool whose handle this is: `run(kind, sizes, repeat)` returns a sink value. */
export function poolWork(
  handle: WasmPoolHandle,
  pools: { shared: MemoryPool; own: MemoryPool },
): (kind: string, sizes: number[], repeat: number) => number;
