//! The pool: the heap behind a lock, with statistics every thread can read.

use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::heap::{Heap, Memory};
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
            heap: UnsafeCell::new(Heap::new(memory)),
            parking: PhantomData,
        }
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }
}

impl<P: Parking, M: Memory> Pool<P, M> {
    /// Lays out the heap once; later calls (from other threads) do nothing. False if the
    /// memory is too small and cannot grow within `limit` bytes.
    pub fn init(&self, heap_base: u32, limit: u64) -> bool {
        self.with_heap(|heap, _| {
            if self.ready.load(Ordering::Relaxed) == 0 && heap.init(heap_base, limit) {
                self.ready.store(1, Ordering::Relaxed);
            }
            self.ready.load(Ordering::Relaxed) != 0
        })
    }

    /// A 64-byte aligned block of `size` bytes (a multiple of 64); 0 when out of memory.
    pub fn alloc(&self, size: u32) -> u32 {
        self.with_heap(|heap, stats| {
            let offset = if size == 0 { heap.zero_area() } else { heap.alloc(size) };
            if offset != 0 {
                stats.counted(0, size);
            }
            offset
        })
    }

    /// Returns a block obtained for `size` bytes.
    pub fn free(&self, offset: u32, size: u32) {
        self.with_heap(|heap, stats| {
            if size != 0 {
                heap.free(offset, size);
            }
            stats.bytes_allocated.fetch_sub(size as u64, Ordering::Relaxed);
        })
    }

    /// Moves a block to `new_size` bytes, in place where it can; 0 when out of memory, and
    /// then the old block is untouched.
    pub fn realloc(&self, offset: u32, old_size: u32, new_size: u32) -> u32 {
        self.with_heap(|heap, stats| {
            let moved = match (old_size, new_size) {
                (0, 0) => offset,
                (0, _) => heap.alloc(new_size),
                (_, 0) => {
                    heap.free(offset, old_size);
                    heap.zero_area()
                }
                _ => heap.realloc(offset, old_size, new_size),
            };
            if moved != 0 {
                stats.counted(old_size, new_size);
            }
            moved
        })
    }

    pub fn memory_size(&self) -> u64 {
        self.with_heap(|heap, _| heap.memory_size())
    }

    pub fn limit(&self) -> u64 {
        self.with_heap(|heap, _| heap.limit())
    }

    /// Runs `f` on the heap under the lock, for tests.
    #[cfg(test)]
    pub fn inspect<R>(&self, f: impl FnOnce(&mut Heap<M>) -> R) -> R {
        self.with_heap(|heap, _| f(heap))
    }

    fn with_heap<R>(&self, f: impl FnOnce(&mut Heap<M>, &Stats) -> R) -> R {
        self.lock.lock::<P>();
        // SAFETY: the lock gives this thread sole access to the heap.
        let result = f(unsafe { &mut *self.heap.get() }, &self.stats);
        self.lock.unlock::<P>();
        result
    }
}
