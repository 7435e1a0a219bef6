/**
 * Model-based property test of the wasm pool through its TypeScript surface: random
 * allocations, resizes and releases keep every live buffer's bytes, never overlap, and keep
 * the statistics exactly equal to the model's.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { allocateBuffer, createWasmMemoryPool, type ResizableBuffer } from '../../src/index.js';

type Op = { kind: 'allocate'; size: number } | { kind: 'resize'; pick: number; size: number } | { kind: 'release'; pick: number };

const size = fc.oneof(fc.integer({ min: 0, max: 1100 }), fc.integer({ min: 0, max: 300_000 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('allocate' as const), size }),
  fc.record({ kind: fc.constant('resize' as const), pick: fc.nat(), size }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
);

const capacity = (n: number) => Math.ceil(n / 64) * 64;

test('random allocate/resize/release sequences agree with a model', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60, size: 'max' }), (ops) => {
      const pool = createWasmMemoryPool({ maxMemory: 256 * 1024 * 1024 });
      const live: Array<{ buffer: ResizableBuffer; fill: number }> = [];
      let allocations = 0;
      let peak = 0;
      for (const [step, o] of ops.entries()) {
        if (o.kind === 'allocate' || live.length === 0) {
          const n = o.kind === 'release' ? 64 : o.size;
          const buffer = allocateBuffer(n, { pool, resizable: true });
          buffer.view.fill(step & 0xff);
          live.push({ buffer, fill: step & 0xff });
          allocations++;
        } else if (o.kind === 'resize') {
          const entry = live[o.pick % live.length]!;
          const kept = Math.min(entry.buffer.size, o.size);
          // With shrinkToFit, the pool reallocates unless the rounded size is the capacity
          // already (as Arrow's PoolBuffer::Resize); only growth counts as an allocation (as
          // Arrow's DidReallocateBytes).
          if (capacity(o.size) > entry.buffer.capacity) allocations++;
          entry.buffer.resize(o.size, true);
          expect(entry.buffer.view.subarray(0, kept).every((b) => b === entry.fill)).toBe(true);
          entry.buffer.view.fill(entry.fill);
        } else {
          const [entry] = live.splice(o.pick % live.length, 1);
          expect(entry!.buffer.view.every((b) => b === entry!.fill)).toBe(true);
          entry!.buffer.release();
        }
        const used = live.reduce((sum, e) => sum + capacity(e.buffer.size), 0);
        peak = Math.max(peak, used);
        expect(pool.bytesAllocated()).toBe(used);
        expect(pool.numAllocations()).toBe(allocations);
        const spans = live
          .filter((e) => e.buffer.size > 0)
          .map((e) => [e.buffer.address, e.buffer.address + e.buffer.size] as const);
        spans.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
        for (const e of live) expect(e.buffer.address % 64).toBe(0);
      }
      expect(pool.maxMemory()).toBe(peak);
      for (const e of live) e.buffer.release();
      expect(pool.bytesAllocated()).toBe(0);
    }),
    { numRuns: 60 },
  );
});
