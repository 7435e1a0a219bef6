//! The pool: thread caches in front of the heap, the heap behind the lock, and statistics
//! every thread can read. Its block calls (alloc, free, realloc) are in blocks.rs.
//!
//! Small blocks (up to `SMALL_LIMIT`) of a thread with a cache come and go without the lock
//! (cache.rs); a cache fills and flushes in batches under it. Large blocks up to
//! `CACHED_LIMIT` that the thread freed come back without it (large.rs). Everything else
//! (larger blocks, threads without a cache, reallocations, a cache's misses) takes the lock.
//! No wait for it is unbounded: a waiter that sees the holder make no progress for the pool's
//! lock timeout poisons the pool, recording the holder (a thread terminated inside a call, most
//! likely), and every call in every thread then fails with `POISONED` at once instead of
//! hanging. Should the holder come back (it was only stalled), it lifts the poison when it
//! releases the lock.

use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};

use crate::cache::{slot_of, ThreadCache, EMPTY_CACHE, SLOTS, STALE};
use crate::heap::{Heap, Memory, OK, POISONED};
use crate::lock::{Lock, Parking, REFUSED, TAKEN};
use crate::states::SlabMap;
use crate::stats::{Account, Stat, Stats};

/// Why a pool was poisoned (the low byte of `nf_poison_cause`; the holder's id is above it).
pub const FAULT: u32 = 1;
/// A thread held the lock for the whole lock timeout: it died inside a call.
pub const DEAD_HOLDER: u32 = 2;
/// The lock holder id of threads without a cache slot (slots are 1 to `SLOTS`).
const NO_SLOT: u32 = 0xffff;

#[repr(C)]
pub struct Pool<P, M> {
    lock: Lock,
    /// Read on every call, written rarely: kept off the lock's and the statistics' lines.
    pub(crate) settings: Settings,
    pub(crate) stats: Stats,
    heap: UnsafeCell<Heap<M>>,
    pub(crate) map: SlabMap,
    caches: [ThreadCache; SLOTS],
    parking: PhantomData<P>,
}

#[repr(C, align(64))]
pub(crate) struct Settings {
    ready: AtomicU32,
    /// The bound of every wait for the lock, in milliseconds (0 until `init`: 1000).
    timeout_ms: AtomicU32,
    /// 0, or why the pool was poisoned: `FAULT` or `DEAD_HOLDER`, with the holder's id << 8.
    poison: AtomicU32,
    /// The address of offset 0 (0 in wasm).
    pub(crate) base: AtomicUsize,
    /// How many slots were ever given out (the others' accounts are empty).
    slots_used: AtomicU32,
    /// The heap's memory size and limit as of the last call, readable without the lock.
    memory_size: AtomicU64,
    limit: AtomicU64,
}

// SAFETY: the heap is only touched with the lock held; caches by their owner (cache.rs).
unsafe impl<P, M> Sync for Pool<P, M> {}

impl<P, M> Pool<P, M> {
    /// All zeros but the memory (a zero-sized type in wasm): the module carries no data for it.
    pub const fn new(memory: M) -> Self {
        Pool {
            lock: Lock::new(),
            settings: Settings {
                ready: AtomicU32::new(0),
                timeout_ms: AtomicU32::new(0),
                poison: AtomicU32::new(0),
                base: AtomicUsize::new(0),
                slots_used: AtomicU32::new(0),
                memory_size: AtomicU64::new(0),
                limit: AtomicU64::new(0),
            },
            stats: Stats::new(),
            heap: UnsafeCell::new(Heap::new(memory)),
            map: SlabMap::new(),
            caches: [EMPTY_CACHE; SLOTS],
            parking: PhantomData,
        }
    }

    /// The bytes of memory under the heap (it grows, never shrinks).
    pub fn memory_size(&self) -> u64 {
        self.settings.memory_size.load(Ordering::Relaxed)
    }

    /// The most memory the heap may grow to.
    pub fn limit(&self) -> u64 {
        self.settings.limit.load(Ordering::Relaxed)
    }

    /// One statistic now; readable without the lock, a poisoned pool included.
    pub fn stat(&self, which: Stat) -> u64 {
        self.stats.read(which, self.accounts())
    }

    /// Every thread cache's share of the statistics (of the slots ever given out: a bound
    /// known only at run time also keeps the compiler from unrolling loops over them).
    #[inline(always)]
    pub(crate) fn accounts(&self) -> impl Iterator<Item = &Account> + Clone {
        let used = self.settings.slots_used.load(Ordering::Acquire) as usize;
        self.caches[..used.min(SLOTS)].iter().map(|cache| &cache.account)
    }

    /// The statistics account of `ticket`'s slot, if it has one.
    #[inline(always)]
    pub(crate) fn account(&self, ticket: u32) -> Option<&Account> {
        slot_of(ticket).map(|slot| &self.caches[slot].account)
    }

    /// 0, or why the pool is poisoned (`FAULT` or `DEAD_HOLDER`) with the holder id << 8.
    pub fn poison_cause(&self) -> u32 {
        self.settings.poison.load(Ordering::Acquire)
    }

    pub fn is_poisoned(&self) -> bool {
        self.poison_cause() != 0
    }

    /// The host's id of the thread that attached to `slot` last (0 if unknown).
    pub fn host_id(&self, slot: u32) -> u32 {
        match self.caches.get(slot as usize) {
            Some(cache) => cache.host_id.load(Ordering::Relaxed),
            None => 0,
        }
    }
}

impl<P: Parking, M: Memory> Pool<P, M> {
    /// Lays out the heap once; later calls (from other threads) do nothing. 1 if the heap is
    /// ready, 0 if the memory is too small and cannot grow within `limit` bytes, `POISONED`.
    /// `timeout_ms` bounds every wait for the lock.
    pub fn init(&self, heap_base: u32, limit: u64, timeout_ms: u32) -> u32 {
        let settings = &self.settings;
        self.with_heap(0, |heap| {
            if settings.ready.load(Ordering::Relaxed) == 0 && heap.init(&self.map, heap_base, limit) {
                settings.base.store(heap.base(), Ordering::Relaxed);
                settings.limit.store(limit, Ordering::Relaxed);
                settings.timeout_ms.store(timeout_ms.max(1), Ordering::Relaxed);
                settings.ready.store(1, Ordering::Release);
            }
            settings.ready.load(Ordering::Relaxed)
        })
        .unwrap_or(POISONED)
    }

    /// A ticket for a new thread cache (cache.rs) of the calling thread, `host_id` naming it;
    /// 0 if every slot is taken and busy (the thread then goes without), or `POISONED`.
    pub fn attach(&self, host_id: u32) -> u32 {
        self.with_heap(0, |heap| {
            let now = heap.epoch;
            let mut oldest = (0, 0);
            for (slot, cache) in self.caches.iter().enumerate() {
                if cache.is_free() {
                    if slot as u32 >= self.settings.slots_used.load(Ordering::Relaxed) {
                        self.settings.slots_used.store(slot as u32 + 1, Ordering::Release);
                    }
                    return cache.assign(slot, host_id, now);
                }
                let idle = cache.idle(now);
                if idle > oldest.1 {
                    oldest = (slot, idle);
                }
            }
            if oldest.1 < STALE {
                return 0;
            }
            let cache = &self.caches[oldest.0];
            cache.retire(heap, oldest.0);
            cache.assign(oldest.0, host_id, now)
        })
        .unwrap_or(POISONED)
    }

    /// Gives the blocks of `ticket`'s cache back and frees its slot (a thread leaving).
    pub fn detach(&self, ticket: u32) {
        if let (Some(slot), Some(cache)) = (slot_of(ticket), self.own_cache(ticket)) {
            let _ = self.with_heap(ticket, |heap| {
                if cache.owned_by(ticket) {
                    cache.retire(heap, slot);
                }
            });
        }
    }

    /// Takes back every block the thread caches hold and gives slabs with no used block back
    /// to the general heap; the wasm memory itself cannot shrink.
    pub fn release_unused(&self, ticket: u32) -> u32 {
        self.with_heap(ticket, |heap| {
            heap.sweep();
            heap.sweep_large();
            heap.return_empty_slabs();
            OK
        })
        .unwrap_or(POISONED)
    }

    /// Makes the pool unusable for good, in every thread: for the embedder, after a thread
    /// faulted (a wasm trap) and may have left the lock held and the heap half-updated.
    pub fn poison(&self) {
        self.poison_for(FAULT);
    }

    fn poison_for(&self, cause: u32) {
        let _ = self.settings.poison.compare_exchange(0, cause, Ordering::AcqRel, Ordering::Acquire);
        self.lock.poison::<P>();
    }

    #[inline]
    pub(crate) fn own_cache(&self, ticket: u32) -> Option<&ThreadCache> {
        slot_of(ticket).map(|slot| &self.caches[slot])
    }

    /// Runs `f` on the heap under the lock; `Err(POISONED)` if the pool is poisoned, or the
    /// wait for the lock timed out (which poisons it).
    #[inline]
    pub(crate) fn with_heap<R>(&self, ticket: u32, f: impl FnOnce(&mut Heap<M>) -> R) -> Result<R, u32> {
        let id = self.enter(ticket);
        if id == 0 {
            return Err(POISONED);
        }
        // SAFETY: the lock gives this thread sole access to the heap.
        let heap = unsafe { &mut *self.heap.get() };
        heap.epoch = heap.epoch.wrapping_add(1);
        let result = f(heap);
        self.leave(id);
        Ok(result)
    }

    /// Takes the lock for the holder of `ticket`: its holder id, or 0 if the pool is poisoned.
    /// Out of line, as `leave`: one copy serves every call (the module is embedded in apps'
    /// bundles).
    #[inline(never)]
    fn enter(&self, ticket: u32) -> u32 {
        let id = match slot_of(ticket) {
            Some(slot) => slot as u32 + 1,
            None => NO_SLOT,
        };
        let timeout_ms = match self.settings.timeout_ms.load(Ordering::Relaxed) {
            0 => 1000,
            set => set,
        };
        match self.lock.lock::<P>(id, timeout_ms) {
            TAKEN => id,
            REFUSED => 0,
            holder => {
                self.poison_for(DEAD_HOLDER | holder << 8);
                0
            }
        }
    }

    #[inline(never)]
    fn leave(&self, id: u32) {
        // SAFETY: this thread holds the lock.
        let memory_size = unsafe { (*self.heap.get()).memory.size() };
        // Stored only when it changed: in wasm an atomic store is a locked instruction.
        if memory_size != self.settings.memory_size.load(Ordering::Relaxed) {
            self.settings.memory_size.store(memory_size, Ordering::Relaxed);
        }
        if !self.lock.unlock::<P>(id) && self.poison_cause() == DEAD_HOLDER | id << 8 {
            // Taken for dead, this thread was only stalled (a debugger, a frozen page, a
            // machine stopped): it alone had the lock all along, so the heap is whole. Lift the
            // poison; the calls that gave up meanwhile have failed, later ones go on.
            self.lock.revive();
            let _ = self.settings.poison.compare_exchange(DEAD_HOLDER | id << 8, 0, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    /// Takes the lock for the holder of `ticket` and keeps it, as a thread terminated inside
    /// a call leaves it (for tests): the holder id, for `release_lock`.
    #[cfg(test)]
    pub fn hold_lock(&self, ticket: u32) -> u32 {
        self.enter(ticket)
    }

    /// Releases a lock taken by `hold_lock` (for tests).
    #[cfg(test)]
    pub fn release_lock(&self, id: u32) {
        self.leave(id)
    }

    /// The headroom of each slot ever given out, `None` where frozen (for tests).
    #[cfg(test)]
    pub fn headrooms(&self) -> std::vec::Vec<Option<u64>> {
        self.accounts().map(|account| account.headroom()).collect()
    }

    /// How many critical sections ran (for tests; read without the lock).
    #[cfg(test)]
    pub fn critical_sections(&self) -> u32 {
        // SAFETY: a racy read of a word, for tests.
        unsafe { core::ptr::read_volatile(core::ptr::addr_of!((*self.heap.get()).epoch)) }
    }

    /// Runs `f` on the heap under the lock, for tests; `None` if the pool is poisoned.
    #[cfg(test)]
    pub fn inspect<R>(&self, f: impl FnOnce(&mut Heap<M>) -> R) -> Option<R> {
        self.with_heap(0, f).ok()
    }
}
