//! The pool: the heap behind a lock, with statistics every thread can read.

use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::heap::{Heap, Memory, FOREIGN, GRANULE, OK, POISONED};
use crate::lock::{Lock, Parking};

/// Statistics, kept with the heap under the lock: plain fields, since in wasm every atomic
/// store or read-modify-write is a locked instruction, and the three a call made cost about
/// 4 ns of the 65 ns an allocation and its free take. Readers take the lock too (`Pool::stat`).
#[repr(C)]
pub struct Stats {
    pub bytes_allocated: u64,
    pub max_memory: u64,
    pub num_allocations: u64,
}

/// Which statistic `Pool::stat` reads.
#[derive(Clone, Copy)]
pub enum Stat {
    BytesAllocated,
    MaxMemory,
    NumAllocations,
}

impl Stats {
    /// Records an allocation (`old_size` 0) or a reallocation.
    fn counted(&mut self, old_size: u32, new_size: u32) {
        self.bytes_allocated = self.bytes_allocated + new_size as u64 - old_size as u64;
        self.num_allocations += 1;
        if self.bytes_allocated > self.max_memory {
            self.max_memory = self.bytes_allocated;
        }
    }
}

#[repr(C)]
pub struct Pool<P, M> {
    lock: Lock,
    ready: AtomicU32,
    /// The heap's memory size and limit as of the last call, readable without the lock.
    memory_size: AtomicU64,
    limit: AtomicU64,
    stats: UnsafeCell<Stats>,
    heap: UnsafeCell<Heap<M>>,
    parking: PhantomData<P>,
}

// SAFETY: the heap and the statistics are only touched with the lock held (but see `stats`).
unsafe impl<P, M> Sync for Pool<P, M> {}

impl<P, M> Pool<P, M> {
    pub const fn new(memory: M) -> Self {
        Pool {
            lock: Lock::new(),
            ready: AtomicU32::new(0),
            memory_size: AtomicU64::new(0),
            limit: AtomicU64::new(0),
            stats: UnsafeCell::new(Stats {
                bytes_allocated: 0,
                max_memory: 0,
                num_allocations: 0,
            }),
            heap: UnsafeCell::new(Heap::new(memory)),
            parking: PhantomData,
        }
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
    /// One statistic now, read under the lock. Once the pool is poisoned it stays readable
    /// without it: no call changes it any more, except one that held the lock when another
    /// thread poisoned the pool and has not returned yet (its change may show or not). Out of
    /// line: one copy of the lock for the three exports that read statistics.
    #[inline(never)]
    pub fn stat(&self, which: Stat) -> u64 {
        let stats = self.stats.get();
        // SAFETY: a pointer to a field, no reference (see the poisoned case below).
        let field = unsafe {
            match which {
                Stat::BytesAllocated => core::ptr::addr_of!((*stats).bytes_allocated),
                Stat::MaxMemory => core::ptr::addr_of!((*stats).max_memory),
                Stat::NumAllocations => core::ptr::addr_of!((*stats).num_allocations),
            }
        };
        if self.lock.lock::<P>() {
            // SAFETY: the lock gives this thread sole access to the statistics.
            let value = unsafe { *field };
            self.lock.unlock::<P>();
            value
        } else {
            // SAFETY: an aligned word; see above for what a racing call may leave.
            unsafe { core::ptr::read_volatile(field) }
        }
    }

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
                stats.bytes_allocated -= size as u64;
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
    fn with_heap(&self, f: impl FnOnce(&mut Heap<M>, &mut Stats) -> u32) -> u32 {
        if !self.lock.lock::<P>() {
            return POISONED;
        }
        // SAFETY: the lock gives this thread sole access to the heap and the statistics.
        let heap = unsafe { &mut *self.heap.get() };
        let result = f(heap, unsafe { &mut *self.stats.get() });
        // Stored only when it changed: in wasm an atomic store is a locked instruction.
        let memory_size = heap.memory_size();
        if memory_size != self.memory_size.load(Ordering::Relaxed) {
            self.memory_size.store(memory_size, Ordering::Relaxed);
        }
        self.lock.unlock::<P>();
        result
    }
}
