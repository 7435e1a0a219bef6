/**
 * The block protocol (`reserve`/`reallocate`/`free`) is public on every pool: the system and
 * proxy pools refuse a block that is not one of their live blocks as the wasm pool does
 * (`EDOUBLEFREE`, `EFOREIGN`), leaving their statistics alone; and every function that takes
 * a pool checks up front that it has the methods a pool needs.
 */
import { describe, expect, test } from 'vitest';
import { IOError } from '../../src/errors.js';
import {
  allocateBuffer,
  BufferOutputStream,
  createWasmMemoryPool,
  loggingMemoryPool,
  proxyMemoryPool,
  setMemoryPool,
  systemMemoryPool,
  type MemoryPool,
} from '../../src/index.js';

/** The IOError code `f` throws. */
function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(IOError);
    return (error as IOError).code;
  }
  throw new Error('expected a throw');
}

/** What the statistics say, to compare before and after a refused call. */
const statsOf = (pool: MemoryPool) => [pool.bytesAllocated(), pool.maxMemory(), pool.numAllocations()];

const pools: Array<[string, () => MemoryPool]> = [
  ['system pool', () => systemMemoryPool()],
  ['proxy over the system pool', () => proxyMemoryPool(systemMemoryPool())],
  ['proxy over a wasm pool', () => proxyMemoryPool(createWasmMemoryPool())],
];

describe.each(pools)('the %s refuses blocks that are not live', (_name, make) => {
  test('a double free throws EDOUBLEFREE naming the block, and the statistics do not move', () => {
    const pool = make();
    const block = pool.reserve(64);
    pool.free(block);
    const before = statsOf(pool);
    expect(codeOf(() => pool.free(block))).toBe('EDOUBLEFREE');
    expect(() => pool.free(block)).toThrow(`address ${block.address} (64 bytes)`);
    expect(statsOf(pool)).toEqual(before);
  });

  test('reallocating a freed block, or one a reallocation replaced, throws EDOUBLEFREE', () => {
    const pool = make();
    const block = pool.reserve(64);
    const moved = pool.reallocate(block, 10_000);
    const before = statsOf(pool);
    expect(codeOf(() => pool.reallocate(block, 128))).toBe('EDOUBLEFREE');
    expect(codeOf(() => pool.free(block))).toBe('EDOUBLEFREE');
    expect(statsOf(pool)).toEqual(before);
    pool.free(moved);
    expect(codeOf(() => pool.reallocate(moved, 128))).toBe('EDOUBLEFREE');
  });

  test("another pool's block is refused with EFOREIGN, and the statistics do not move", () => {
    const pool = make();
    const other = proxyMemoryPool(systemMemoryPool());
    const foreign = other.reserve(64);
    const before = statsOf(pool);
    expect(codeOf(() => pool.free(foreign))).toBe('EFOREIGN');
    expect(codeOf(() => pool.reallocate(foreign, 128))).toBe('EFOREIGN');
    expect(codeOf(() => pool.free({ buffer: new ArrayBuffer(64), address: 0, capacity: 64 }))).toBe('EFOREIGN');
    expect(statsOf(pool)).toEqual(before);
    other.free(foreign);
  });

  test('live blocks still free and reallocate normally', () => {
    const pool = make();
    const before = pool.bytesAllocated();
    const buffer = allocateBuffer(100, { pool, resizable: true });
    buffer.view.fill(3);
    buffer.resize(5000);
    buffer.resize(10, true);
    expect([...buffer.view]).toEqual(Array.from({ length: 10 }, () => 3));
    buffer.release();
    expect(pool.bytesAllocated()).toBe(before);
  });
});

describe('functions taking a pool check it up front', () => {
  const complete = (): Record<string, unknown> => {
    const pool = proxyMemoryPool(systemMemoryPool());
    return {
      backendName: 'custom',
      allocate: (size: number) => pool.allocate(size),
      reserve: (size: number) => pool.reserve(size),
      reallocate: pool.reallocate.bind(pool),
      free: pool.free.bind(pool),
      bytesAllocated: () => pool.bytesAllocated(),
      maxMemory: () => pool.maxMemory(),
      numAllocations: () => pool.numAllocations(),
      releaseUnused: () => pool.releaseUnused(),
    };
  };
  const without = (method: string) => {
    const pool = complete();
    delete pool[method];
    return pool as unknown as MemoryPool;
  };

  test.each(['allocate', 'reserve', 'reallocate', 'free', 'bytesAllocated', 'maxMemory', 'numAllocations', 'releaseUnused'])(
    'a pool without %s() is refused where it is given, with a TypeError naming the option',
    (method) => {
      const pool = without(method);
      expect(() => allocateBuffer(10, { pool })).toThrow(TypeError);
      expect(() => allocateBuffer(10, { pool })).toThrow('options.pool must be a MemoryPool, got a Object');
      expect(() => setMemoryPool(pool)).toThrow(/^pool must be a MemoryPool/);
      expect(() => proxyMemoryPool(pool)).toThrow(/^parent must be a MemoryPool/);
      expect(() => loggingMemoryPool(pool, () => {})).toThrow(/^parent must be a MemoryPool/);
      expect(() => new BufferOutputStream(pool)).toThrow(/^pool must be a MemoryPool/);
    },
  );

  test('a complete pool object is accepted and serves allocations', () => {
    const pool = complete() as unknown as MemoryPool;
    const buffer = allocateBuffer(10, { pool });
    expect(buffer.size).toBe(10);
    expect(pool.bytesAllocated()).toBe(64);
    buffer.release();
    expect(pool.bytesAllocated()).toBe(0);
  });

  test('a value that is not an object says what it got', () => {
    expect(() => allocateBuffer(10, { pool: 'wasm' as never })).toThrow('options.pool must be a MemoryPool, got "wasm"');
  });
});
