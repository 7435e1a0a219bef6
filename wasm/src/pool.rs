//! The pool: the heap behind a lock, with statistics every thread can read.

use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::heap::{Heap, Memory, FOREIGN, GRANULE, OK, POISONED};
use crate::lock::{Lock, Parking};

/// Statistics, written under the lock and read without it.
#[repr(C)]
pub struct Stats {
    pub bytes_allocated: AtomicU64,
    pub max_memory: AtomicU64,
    pub num_allocations: AtomicU64,
}

impl Stats {
    /// Records an allocation (`old_size` 0) or a reallocation.
    fn counted(&self, old_size: u32, new_size: u32) {
        let now = self.bytes_allocated.load(Ordering::Relaxed) + new_size as u64 - old_size as u64;
        self.bytes_allocated.store(now, Ordering::Relaxed);
        self.num_allocations.fetch_add(1, Ordering::Relaxed);
        if now > self.max_memory.load(Ordering::Relaxed) {
            self.max_memory.store(now, Ordering::Relaxed);
        }
    }
}

#[repr(C)]
pub struct Pool<P, M> {
    lock: Lock,
    ready: AtomicU32,
    stats: Stats,
    /// The heap's memory size and limit as of the last call, readable without the lock.
    memory_size: AtomicU64,
    limit: AtomicU64,
    heap: UnsafeCell<Heap<M>>,
    parking: PhantomData<P>,
}

// SAFETY: the heap is only touched with the lock held.
unsafe impl<P, M> Sync for Pool<P, M> {}

impl<P, M> Pool<P, M> {
    pub const fn new(memory: M) -> Self {
        Pool {
            lock: Lock::new(),
            ready: AtomicU32::new(0),
            stats: Stats {
                bytes_allocated: AtomicU64::new(0),
                max_memory: AtomicU64::new(0),
                num_allocations: AtomicU64::new(0),
            },
            memory_size: AtomicU64::new(0),
            limit: AtomicU64::new(0),
            heap: UnsafeCell::new(Heap::new(memory)),
            parking: PhantomData,
        }
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The bytes of memory under the heap (it grows, never shrinks).
    pub fn memory_size(&self) -> u64 {
        self.memory_size.load(Ordering::Relaxed)
    }

    /// The most memory the heap may grow to.
    pub fn limit(&self) -> u64 {
        self.limit.load(Ordering::Relaxed)
    }
}

impl<P: Parking, M: Memory> Pool<P, M> {
    /// Lays out the heap once; later calls (from other threads) do nothing. 1 if the heap is
    /// ready, 0 if the memory is too small and cannot grow within `limit` bytes, `POISONED`.
    pub fn init(&self, heap_base: u32, limit: u64) -> u32 {
        self.with_heap(|heap, _| {
            if self.ready.load(Ordering::Relaxed) == 0 && heap.init(heap_base, limit) {
                self.limit.store(limit, Ordering::Relaxed);
                self.ready.store(1, Ordering::Relaxed);
            }
            self.ready.load(Ordering::Relaxed)
        })
    }

    /// A 64-byte aligned block of `size` bytes (a multiple of 64); 0 when out of memory,
    /// `POISONED` if the pool is unusable.
    pub fn alloc(&self, size: u32) -> u32 {
        self.with_heap(|heap, stats| {
            let offset = if size == 0 { heap.zero_area() } else { heap.alloc(size) };
            if offset != 0 {
                stats.counted(0, size);
            }
            offset
        })
    }

    /// Returns a block obtained for `size` bytes: `OK`, or `DOUBLE_FREE` / `FOREIGN` (and
    /// nothing changes), or `POISONED`.
    pub fn free(&self, offset: u32, size: u32) -> u32 {
        self.with_heap(|heap, stats| {
            let code = match size {
                0 if offset == heap.zero_area() => OK,
                _ if size % GRANULE != 0 || size == 0 => FOREIGN,
                _ => heap.free(offset, size),
            };
            if code == OK {
                stats.bytes_allocated.fetch_sub(size as u64, Ordering::Relaxed);
            }
            code
        })
    }

    /// Moves a block to `new_size` bytes, in place where it can. Returns the new offset, or
    /// 0 when out of memory (the old block is then untouched), or `DOUBLE_FREE` / `FOREIGN`
    /// if the old block is not live, or `POISONED`: codes are below 64, offsets are not.
    pub fn realloc(&self, offset: u32, old_size: u32, new_size: u32) -> u32 {
        self.with_heap(|heap, stats| {
            let moved = if old_size % GRANULE != 0 || new_size % GRANULE != 0 {
                FOREIGN
            } else if old_size == 0 {
                match (offset == heap.zero_area(), new_size) {
                    (false, _) => FOREIGN,
                    (true, 0) => offset,
                    (true, _) => heap.alloc(new_size),
                }
            } else if new_size == 0 {
                match heap.free(offset, old_size) {
                    OK => heap.zero_area(),
                    code => code,
                }
            } else {
                heap.realloc(offset, old_size, new_size)
            };
            if moved >= GRANULE {
                stats.counted(old_size, new_size);
            }
            moved
        })
    }

    /// Makes the pool unusable for good, in every thread: for the embedder, after a thread
    /// faulted (a wasm trap) and may have left the lock held and the heap half-updated.
    pub fn poison(&self) {
        self.lock.poison::<P>();
    }

    pub fn is_poisoned(&self) -> bool {
        self.lock.is_poisoned()
    }

    /// Runs `f` on the heap under the lock, for tests; `None` if the pool is poisoned.
    #[cfg(test)]
    pub fn inspect<R>(&self, f: impl FnOnce(&mut Heap<M>) -> R) -> Option<R> {
        if !self.lock.lock::<P>() {
            return None;
        }
        // SAFETY: the lock gives this thread sole access to the heap.
        let result = f(unsafe { &mut *self.heap.get() });
        self.lock.unlock::<P>();
        Some(result)
    }

    /// Runs `f` on the heap under the lock; `POISONED` if the lock is poisoned.
    fn with_heap(&self, f: impl FnOnce(&mut Heap<M>, &Stats) -> u32) -> u32 {
        if !self.lock.lock::<P>() {
            return POISONED;
        }
        // SAFETY: the lock gives this thread sole access to the heap.
        let heap = unsafe { &mut *self.heap.get() };
        let result = f(heap, &self.stats);
        self.memory_size.store(heap.memory_size(), Ordering::Relaxed);
        self.lock.unlock::<P>();
        result
    }
}
