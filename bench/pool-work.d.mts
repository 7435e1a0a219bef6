import type { MemoryPool, WasmPoolHandle } from '../src/index.js';

/** A thread's work on the pool whose handle this is: `run(kind, sizes, repeat)` returns a sink value. */
export function poolWork(
  handle: WasmPoolHandle,
  pools: { shared: MemoryPool; own: MemoryPool },
): (kind: string, sizes: number[], repeat: number) => number;

/** 1,000 sizes, log-uniform from 64 B to `top` bytes, in a fixed scattered order. */
export function sizesUpTo(top: number): number[];
