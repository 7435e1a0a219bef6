//! The pool's block calls: allocate, free and reallocate through the caller's thread cache
//! where it can (cache.rs, large.rs), under the pool's lock otherwise (pool.rs).

use core::sync::atomic::Ordering;

use crate::cache::{slot_of, ThreadCache};
use crate::heap::{Memory, DOUBLE_FREE, FOREIGN, GRANULE, HEADER, OK, POISONED, RETIRED, SMALL_LIMIT};
use crate::large::{self, cached, large_class, live, looks_large, swap, CACHED_LIMIT};
use crate::lock::Parking;
use crate::pool::Pool;
use crate::states::{locate, CACHED, FREE, LIVE};
use crate::stats::{MAY_THAW, NEEDS_LOCK};

/// `free_large_cached` found no room or no block it can vouch for: free under the lock.
const TAKE_LOCK: u32 = 5;

impl<P: Parking, M: Memory> Pool<P, M> {
    /// A 64-byte aligned block of `size` bytes (a multiple of 64) for the holder of `ticket`
    /// (0: no cache); 0 when out of memory, `POISONED`, or `RETIRED` (attach again).
    pub fn alloc(&self, ticket: u32, size: u32) -> u32 {
        if size.wrapping_sub(1) < CACHED_LIMIT && ticket != 0 {
            if let Some(cache) = self.own_cache(ticket) {
                if !cache.owned_by(ticket) {
                    return if self.is_poisoned() { POISONED } else { RETIRED };
                }
                return self.alloc_cached(cache, ticket, size);
            }
        }
        let result = self.with_heap(ticket, |heap| {
            let offset = if size == 0 { heap.zero_area() } else { heap.alloc(size) };
            if offset != 0 {
                self.allocated_locked(ticket, size);
            }
            offset
        });
        result.unwrap_or_else(|code| code)
    }

    /// Records an allocation, the lock held.
    #[inline(never)]
    fn allocated_locked(&self, ticket: u32, size: u32) {
        let account = self.account(ticket);
        if self.stats.allocate(account, size) == NEEDS_LOCK {
            self.stats.allocate_locked(account, size, self.accounts());
        }
    }

    /// Records a free, the lock held.
    #[inline(never)]
    fn freed_locked(&self, ticket: u32, size: u32) {
        let account = self.account(ticket);
        if self.stats.free(account, size) == MAY_THAW {
            if let Some(account) = account {
                self.stats.thaw(account);
            }
        }
    }

    fn alloc_cached(&self, cache: &ThreadCache, ticket: u32, size: u32) -> u32 {
        if self.is_poisoned() {
            return POISONED;
        }
        let (map, base) = (&self.map, self.settings.base.load(Ordering::Relaxed));
        let small = size <= SMALL_LIMIT;
        let block = if small { cache.pop(map, base, size) } else { cache.pop_large(map, base, size) };
        if block != 0 && self.stats.allocate(Some(&cache.account), size) != NEEDS_LOCK {
            return block;
        }
        // The cache is empty, or the statistics need headroom or a new peak.
        let slot = slot_of(ticket).unwrap_or(0);
        let result = self.with_heap(ticket, |heap| {
            let mut block = block;
            if block == 0 && small && cache.fill(heap, slot, size) > 0 {
                block = cache.pop(map, base, size);
            }
            if block == 0 {
                // A large miss; or the refill was emptied at once by another thread on this
                // cache (a slot given away mid-call, cache.rs), which is no reason to say the
                // pool is full: straight from the heap, as for a thread without a cache.
                cache.mark_active(heap.epoch);
                block = heap.alloc(size);
            }
            if block != 0 {
                self.allocated_locked(ticket, size);
            }
            block
        });
        result.unwrap_or_else(|code| code)
    }

    /// Returns a block obtained for `size` bytes: `OK`, or `DOUBLE_FREE` / `FOREIGN` (and
    /// nothing changes), or `POISONED`, or `RETIRED` (nothing changed: attach again).
    pub fn free(&self, ticket: u32, offset: u32, size: u32) -> u32 {
        if size.wrapping_sub(1) < CACHED_LIMIT && size % GRANULE == 0 && ticket != 0 {
            if let Some(cache) = self.own_cache(ticket) {
                if self.is_poisoned() {
                    return POISONED;
                }
                if !cache.owned_by(ticket) {
                    return RETIRED;
                }
                if size <= SMALL_LIMIT {
                    return self.free_cached(cache, ticket, offset, size);
                }
                let code = self.free_large_cached(cache, ticket, offset, size);
                if code != TAKE_LOCK {
                    return code;
                }
            }
        }
        let result = self.with_heap(ticket, |heap| match size {
            0 if offset == heap.zero_area() => OK,
            _ if size % GRANULE != 0 || size == 0 => FOREIGN,
            _ => {
                let code = heap.free(offset, size);
                if code == OK {
                    self.freed_locked(ticket, size);
                }
                code
            }
        });
        result.unwrap_or_else(|code| code)
    }

    fn free_cached(&self, cache: &ThreadCache, ticket: u32, offset: u32, size: u32) -> u32 {
        let located = match locate(&self.map, self.settings.base.load(Ordering::Relaxed), offset, size) {
            Some(located) => located,
            None => return FOREIGN,
        };
        if cache.is_full(size) {
            // Room first, so that a failure leaves the block as it was.
            if let Err(code) = self.with_heap(ticket, |heap| cache.flush(heap, size)) {
                return code;
            }
        }
        match located.swap(LIVE, CACHED) {
            Ok(()) => {
                cache.push(size, offset);
                if self.stats.free(Some(&cache.account), size) == MAY_THAW {
                    // Optional: a poisoned pool keeps the account frozen.
                    let _ = self.with_heap(ticket, |_| self.stats.thaw(&cache.account));
                }
                OK
            }
            Err(FREE) | Err(CACHED) => DOUBLE_FREE,
            Err(_) => FOREIGN,
        }
    }

    /// Keeps a large block in the caller's cache: `OK`, `DOUBLE_FREE` if its cache or another
    /// holds it, or `TAKE_LOCK` when the cache is full or the block does not look like a live
    /// one of its class (the locked free then says exactly what it is).
    #[inline(never)]
    fn free_large_cached(&self, cache: &ThreadCache, ticket: u32, offset: u32, size: u32) -> u32 {
        let class = large_class(size);
        if offset % GRANULE != 0 || offset < HEADER || offset as u64 > self.memory_size() || cache.large_is_full(class) {
            return TAKE_LOCK;
        }
        // A live block of the class has this header (tlsf.rs), stable while it is live.
        let (base, block) = (self.settings.base.load(Ordering::Relaxed), offset - HEADER);
        if !looks_large(&self.map, base, block, class) || large::asked(base, block) != size {
            return TAKE_LOCK;
        }
        if !swap(base, block, live(block, class), cached(block, class)) {
            return if large::state(base, block).load(Ordering::Relaxed) == cached(block, class) { DOUBLE_FREE } else { TAKE_LOCK };
        }
        cache.push_large(class, block);
        if self.stats.free(Some(&cache.account), size) == MAY_THAW {
            let _ = self.with_heap(ticket, |_| self.stats.thaw(&cache.account));
        }
        OK
    }

    /// Moves a block to `new_size` bytes, in place where it can. Returns the new offset, or
    /// 0 when out of memory (the old block is then untouched), or `DOUBLE_FREE` / `FOREIGN`
    /// if the old block is not live, or `POISONED`: codes are below 64, offsets are not. The
    /// bytes are copied outside the lock.
    pub fn realloc(&self, ticket: u32, offset: u32, old_size: u32, new_size: u32) -> u32 {
        if old_size % GRANULE != 0 || new_size % GRANULE != 0 {
            return if self.is_poisoned() { POISONED } else { FOREIGN };
        }
        let first = self.with_heap(ticket, |heap| {
            let (moved, copy) = if old_size == 0 {
                match (offset == heap.zero_area(), new_size) {
                    (false, _) => (FOREIGN, false),
                    (true, 0) => (offset, false),
                    (true, _) => (heap.alloc(new_size), false),
                }
            } else {
                let code = heap.check_live(offset, old_size);
                if code != OK {
                    (code, false)
                } else if new_size == 0 {
                    heap.free(offset, old_size);
                    (heap.zero_area(), false)
                } else if old_size == new_size || old_size > SMALL_LIMIT && new_size > SMALL_LIMIT && heap.resize_large(offset, old_size, new_size) {
                    (offset, false)
                } else {
                    (heap.alloc(new_size), true)
                }
            };
            if moved >= GRANULE && !copy {
                self.stats.reallocated(old_size, new_size, self.accounts());
            }
            (moved, copy)
        });
        let (moved, copy) = match first {
            Ok(result) => result,
            Err(code) => return code,
        };
        if moved < GRANULE || !copy {
            return moved;
        }
        let base = self.settings.base.load(Ordering::Relaxed);
        let count = if old_size < new_size { old_size } else { new_size };
        // SAFETY: both blocks are live and the caller's: no other thread touches them.
        unsafe {
            core::ptr::copy_nonoverlapping((base + offset as usize) as *const u8, (base + moved as usize) as *mut u8, count as usize);
        }
        let freed = self.with_heap(ticket, |heap| match heap.free(offset, old_size) {
            OK => {
                self.stats.reallocated(old_size, new_size, self.accounts());
                moved
            }
            code => {
                // Freed by another thread meanwhile (a caller's race): undo the move.
                heap.free(moved, new_size);
                code
            }
        });
        freed.unwrap_or_else(|code| code)
    }
}
