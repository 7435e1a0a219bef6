//! Size classes: blocks of up to `SMALL_LIMIT` bytes, cut from slabs. Everything here runs
//! under the pool's lock; the block states it changes are shared with the lock-free thread
//! caches, so they change by atomic operations (states.rs).
//!
//! A slab is a used TLSF block of `SLAB_SPAN` bytes whose header sits at a `SLAB_SPAN`-aligned
//! offset, so the slab of any small block is its offset rounded down. Its 256-byte header:
//!
//! ```text
//! +0  TLSF size       +4  TLSF previous block
//! +8  SLAB_TAG | class
//! +12 blocks not FREE (live or cached)
//! +16 the slot + 1 of the thread cache that last filled from it (0: none), so that threads
//!     fill from different slabs and do not share the cache line of a state map
//! +48 next and +52 previous slab in the class's list of slabs with a free block
//! +64, +128 or +192 by the slab's colour: the state map (states.rs `states_of`)
//! ```
//!
//! States in the slab header rather than a free list threaded through the blocks: a stale
//! view that writes into a freed block cannot corrupt the allocator.

use core::sync::atomic::Ordering;

use crate::heap::{Heap, Memory, DOUBLE_FREE, FOREIGN, GRANULE, OK};
use crate::states::{
    blocks_per_slab, class_of, locate, state_word, word_at, CACHED, EVEN, FREE, LIVE, SLAB_HEADER, SLAB_MAP_WORDS, SLAB_SHIFT, SLAB_SPAN,
    SLAB_TAG, STATE_WORDS, TAG,
};

pub(crate) const USED: u32 = 12;
pub(crate) const OWNER: u32 = 16;
pub(crate) const NEXT: u32 = 48;
pub(crate) const PREV: u32 = 52;
/// How many slabs of a class's list a thread looks at for one no other thread fills from.
const OWNER_SEARCH: u32 = 4;

/// Moves every CACHED block of `slab` to FREE (no bookkeeping); returns how many.
fn sweep_slab(base: usize, slab: u32) -> u32 {
    let mut swept = 0;
    for w in 0..STATE_WORDS {
        let word = state_word(base, slab, w);
        let mut bits = word.load(Ordering::Acquire);
        loop {
            // A bit at the low position of every CACHED (10) block.
            let cached = bits >> 1 & !bits & EVEN;
            if cached == 0 {
                break;
            }
            match word.compare_exchange_weak(bits, bits & !(cached << 1), Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => {
                    swept += cached.count_ones();
                    break;
                }
                Err(now) => bits = now,
            }
        }
    }
    swept
}

impl<M: Memory> Heap<M> {
    /// A small block for a caller without a thread cache; 0 if there is no room.
    pub(crate) fn alloc_small(&mut self, size: u32) -> u32 {
        let class = class_of(size);
        let mut slab = self.partial[class];
        if slab == 0 {
            slab = self.new_slab(class);
            if slab == 0 {
                return 0;
            }
        }
        self.take(slab, size, LIVE, &mut []) & !(GRANULE - 1)
    }

    /// Returns a live small block to its slab.
    pub(crate) fn free_small(&mut self, offset: u32, size: u32) -> u32 {
        let located = match locate(self.map(), self.base(), offset, size) {
            Some(located) => located,
            None => return FOREIGN,
        };
        match located.swap(LIVE, FREE) {
            Ok(()) => {
                self.returned(located.slab, size, 1);
                OK
            }
            Err(FREE) | Err(CACHED) => DOUBLE_FREE,
            Err(_) => FOREIGN,
        }
    }

    /// Whether a live small block of `size` bytes starts at `offset`.
    pub(crate) fn check_small(&self, offset: u32, size: u32) -> u32 {
        match locate(self.map(), self.base(), offset, size).map(|located| located.state()) {
            Some(LIVE) => OK,
            Some(FREE) | Some(CACHED) => DOUBLE_FREE,
            _ => FOREIGN,
        }
    }

    /// Fills `out` with cached blocks of `size` bytes for the thread cache of `owner` (slot + 1),
    /// from slab `hint` if it still has free blocks of the class, else from one no other cache
    /// fills from where possible (and points `hint` at it). Returns how many.
    pub(crate) fn refill(&mut self, size: u32, owner: u32, hint: &mut u32, out: &mut [u32]) -> u32 {
        let class = class_of(size);
        let previous = *hint;
        let has_free = self.is_slab(previous, class) && self.read(previous + USED) < blocks_per_slab(size);
        let slab = if has_free { previous } else { self.choose_slab(class, owner) };
        *hint = slab;
        if slab == 0 {
            return 0;
        }
        if slab != previous {
            // One slab per class and cache at a time: the old one is anyone's again.
            self.disown(previous, size, owner);
        }
        self.write(slab + OWNER, owner);
        let taken = self.take(slab, size, CACHED, &mut out[1..]);
        out[0] = taken & !(GRANULE - 1);
        taken % GRANULE
    }

    /// Makes `slab` (a retiring cache's hint, which may be stale) anyone's to fill from again.
    pub(crate) fn disown(&mut self, slab: u32, size: u32, owner: u32) {
        if self.is_slab(slab, class_of(size)) && self.read(slab + OWNER) == owner {
            self.write(slab + OWNER, 0);
        }
    }

    /// Returns a cached block to its slab; false (and nothing changes) if it is not cached:
    /// a stale cache entry.
    #[inline(never)]
    pub(crate) fn uncache(&mut self, offset: u32, size: u32) -> bool {
        match locate(self.map(), self.base(), offset, size) {
            Some(located) if located.swap(CACHED, FREE).is_ok() => {
                self.returned(located.slab, size, 1);
                true
            }
            _ => false,
        }
    }

    /// Returns every cached block, in every slab, to its slab: for memory pressure and
    /// `release_unused`, and to take back what a dead thread's cache held. Cache entries go
    /// stale (their owners skip them). Returns how many blocks came back.
    #[cold]
    #[inline(never)]
    pub(crate) fn sweep(&mut self) -> u32 {
        let map = self.map();
        let base = self.base();
        let mut total = 0;
        for w in 0..SLAB_MAP_WORDS {
            let mut slabs = map.word(w);
            while slabs != 0 {
                let slab = ((w as u32) * 32 + slabs.trailing_zeros()) << SLAB_SHIFT;
                slabs &= slabs - 1;
                let swept = sweep_slab(base, slab);
                if swept > 0 {
                    let class = word_at(base, slab + TAG).load(Ordering::Acquire) ^ SLAB_TAG;
                    self.returned(slab, (class + 1) * GRANULE, swept);
                    total += swept;
                }
            }
        }
        total
    }

    /// Whether `slab` (a cache's hint, which may be stale) is a slab of `class`.
    fn is_slab(&self, slab: u32, class: usize) -> bool {
        slab != 0 && slab % SLAB_SPAN == 0 && self.in_slab(slab) && self.read(slab + TAG) == SLAB_TAG | class as u32
    }

    /// A slab of `class` with a free block that no other cache fills from (one of the first
    /// few of the list, else a new one), so that threads do not share the cache line of a
    /// state map; any slab with a free block when there is no room for a new one.
    fn choose_slab(&mut self, class: usize, owner: u32) -> u32 {
        let head = self.partial[class];
        let mut slab = head;
        for _ in 0..OWNER_SEARCH {
            if slab == 0 {
                break;
            }
            let last = self.read(slab + OWNER);
            if last == 0 || last == owner {
                return slab;
            }
            slab = self.read(slab + NEXT);
        }
        match self.new_slab(class) {
            0 => head,
            fresh => fresh,
        }
    }

    /// Moves FREE blocks of `slab` to state `to`: one more than `out` holds, listing all but
    /// the first in `out`. Returns the first block's offset plus how many were taken (below 64:
    /// offsets are multiples of 64, and the module has no stack to return two values on).
    #[inline(never)]
    fn take(&mut self, slab: u32, size: u32, to: u32, out: &mut [u32]) -> u32 {
        let base = self.base();
        let mut first = 0;
        let mut n = 0;
        for w in 0..STATE_WORDS {
            if n > out.len() {
                break;
            }
            let word = state_word(base, slab, w);
            let bits = word.load(Ordering::Acquire);
            let mut free = !(bits | bits >> 1) & EVEN;
            let mut mask = 0;
            while free != 0 && n <= out.len() {
                let bit = free.trailing_zeros();
                free &= free - 1;
                mask |= to << bit;
                let block = slab + SLAB_HEADER + (w * 16 + bit / 2) * size;
                if n == 0 {
                    first = block;
                } else {
                    out[n - 1] = block;
                }
                n += 1;
            }
            if mask != 0 {
                // Only lock holders change FREE blocks, so or-ing them is exact.
                word.fetch_or(mask, Ordering::AcqRel);
            }
        }
        if n == 0 {
            // A listed slab with no free block: the heap is corrupt; fault (see pool.rs).
            crate::trap();
        }
        let used = self.read(slab + USED);
        if used == 0 {
            self.empty_slabs -= 1;
        }
        self.write(slab + USED, used + n as u32);
        if used + n as u32 == blocks_per_slab(size) {
            self.unlink_slab(class_of(size), slab);
        }
        first + n as u32
    }

    /// Books `count` blocks of `slab` (of `size` bytes) that became FREE.
    fn returned(&mut self, slab: u32, size: u32, count: u32) {
        let used = self.read(slab + USED);
        if used == blocks_per_slab(size) {
            self.link_slab(class_of(size), slab);
        }
        self.write(slab + USED, used - count);
        if used == count {
            self.empty_slabs += 1;
        }
    }

    /// Checks a slab's bookkeeping against its state map (for the heap check in tests).
    #[cfg(test)]
    pub(crate) fn check_slab(&self, slab: u32) {
        let class = self.read(slab + TAG) ^ SLAB_TAG;
        assert!(class < 16, "slab tag at {}", slab);
        let count = blocks_per_slab((class + 1) * GRANULE);
        let mut used = 0;
        for w in 0..STATE_WORDS {
            let bits = state_word(self.base(), slab, w).load(Ordering::Acquire);
            for i in 0..16 {
                let state = bits >> (2 * i) & 3;
                let index = w * 16 + i;
                assert_eq!(state == crate::states::NONE, index >= count, "state of block {} of slab {}", index, slab);
                if state == LIVE || state == CACHED {
                    used += 1;
                }
            }
        }
        assert_eq!(self.read(slab + USED), used, "used count of slab {}", slab);
    }
}
