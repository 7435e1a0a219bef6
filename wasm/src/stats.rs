//! The pool's statistics, global across threads and exact: every allocation and free changes
//! them atomically, outside the lock (thread caches take no lock), and anyone reads them at any
//! time, a poisoned pool included.
//!
//! They share one cache line that every allocation writes, the price of an exact peak: a peak
//! of the sum over threads needs one order of all changes, which per-thread counters cannot
//! give. Nothing else lives on that line (`align(64)`), so the lock and the caches do not
//! suffer from it.

use core::sync::atomic::{AtomicU64, Ordering};

/// Which statistic `Stats::read` gives.
#[derive(Clone, Copy)]
pub enum Stat {
    BytesAllocated,
    MaxMemory,
    NumAllocations,
}

#[repr(C, align(64))]
pub struct Stats {
    bytes_allocated: AtomicU64,
    max_memory: AtomicU64,
    num_allocations: AtomicU64,
}

impl Stats {
    pub const fn new() -> Self {
        Stats {
            bytes_allocated: AtomicU64::new(0),
            max_memory: AtomicU64::new(0),
            num_allocations: AtomicU64::new(0),
        }
    }

    pub fn read(&self, which: Stat) -> u64 {
        match which {
            Stat::BytesAllocated => self.bytes_allocated.load(Ordering::Relaxed),
            Stat::MaxMemory => self.max_memory.load(Ordering::Relaxed),
            Stat::NumAllocations => self.num_allocations.load(Ordering::Relaxed),
        }
    }

    /// Records an allocation of `size` bytes.
    #[inline]
    pub fn allocated(&self, size: u32) {
        self.num_allocations.fetch_add(1, Ordering::Relaxed);
        let now = self.bytes_allocated.fetch_add(size as u64, Ordering::Relaxed) + size as u64;
        self.raise_peak(now);
    }

    /// Records a free of `size` bytes.
    #[inline]
    pub fn freed(&self, size: u32) {
        self.bytes_allocated.fetch_sub(size as u64, Ordering::Relaxed);
    }

    /// Records a reallocation from `old_size` to `new_size` bytes (one allocation).
    pub fn reallocated(&self, old_size: u32, new_size: u32) {
        if new_size >= old_size {
            self.allocated(new_size - old_size);
        } else {
            self.num_allocations.fetch_add(1, Ordering::Relaxed);
            self.freed(old_size - new_size);
        }
    }

    #[inline]
    fn raise_peak(&self, now: u64) {
        let mut peak = self.max_memory.load(Ordering::Relaxed);
        while now > peak {
            match self.max_memory.compare_exchange_weak(peak, now, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => break,
                Err(seen) => peak = seen,
            }
        }
    }
}
