/**
 * The default memory pool, loaded when an OPFS file is first opened rather than imported: an
 * app's first chunk then carries no pool (the wasm allocator is most of one), and a page that
 * is not cross-origin isolated, where no pool can be shared with the IO worker, never loads it.
 * @module
 */
import type { Buffer } from '../memory/buffer.js';
import type { MemoryPool } from '../memory/memory-pool.js';
import type { WasmPoolHandle } from '../memory/wasm/wasm-pool-types.js';

/** The default pool, asked anew each time (`setMemoryPool` may change it). */
export type DefaultPool = () => MemoryPool;

let loading: Promise<DefaultPool> | undefined;

/** The default pool's getter, loaded once. */
export function loadDefaultPool(): Promise<DefaultPool> {
  loading ??= import('../memory/default-pool.js').then((module) => module.defaultMemoryPool);
  return loading;
}

/**
 * The default pool's getter where its memory can be shared with a worker (a cross-origin
 * isolated page), else `undefined` without loading anything.
 */
export async function loadSharablePool(): Promise<DefaultPool | undefined> {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true ? loadDefaultPool() : undefined;
}

/** The handle other threads attach the default pool with, where it has one (the wasm pool). */
export function handleOf(pool: MemoryPool): WasmPoolHandle | undefined {
  return (pool as { handle?: WasmPoolHandle }).handle;
}

/** `size` bytes of the default pool when its memory is shared (a worker can reach it), else none. */
export function sharedScratch(pool: DefaultPool | undefined, size: number): Buffer | undefined {
  const current = pool?.();
  return current !== undefined && handleOf(current) !== undefined ? current.allocate(size) : undefined;
}
