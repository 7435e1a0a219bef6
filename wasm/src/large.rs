//! Large blocks that thread caches keep: requests above `SMALL_LIMIT` and up to
//! `CACHED_LIMIT` are TLSF blocks rounded up to one of four classes per doubling (1280, 1536,
//! 1792, 2048, 2560, ... 65536 bytes), so that a block one request freed serves any later
//! request of its class, and a thread that frees one keeps it in its cache (cache.rs) for its
//! next allocation of that class: neither takes the lock. Rounding costs at most a quarter of a
//! block, as jemalloc's classes do; larger requests are rare enough, and costly enough to fill,
//! that the lock is no matter for them.
//!
//! A large block's state is a word in its TLSF header at +24 (and the size asked for at +28),
//! which TLSF leaves alone in used blocks and slab headers do not use: `live(block, class)` while its caller has it,
//! `cached(block, class)` while a thread cache holds it, and 0 from its release (tlsf.rs). Only
//! compare-exchanges move a block between LIVE and CACHED, so the free that caches a block and
//! the allocation that takes it back never both win, and a free under the lock claims the block
//! the same way. Each value names its block and class, and an entry is used only where the
//! header still looks like a used block of its class (`looks_large`): a cache entry gone stale
//! (its block swept back to TLSF, the space perhaps handed out again) is skipped, as for small
//! blocks (states.rs).

use core::sync::atomic::{AtomicU32, Ordering};

use crate::heap::{Heap, Memory, FREE_BIT, GRANULE, HEADER, MIN_BLOCK, SMALL_LIMIT};
use crate::states::{word_at, SlabMap};
use crate::tlsf::LARGE_TAG;

/// The largest request that thread caches keep.
pub const CACHED_LIMIT: u32 = 64 * 1024;
/// Classes above `SMALL_LIMIT` up to `CACHED_LIMIT`: four per doubling.
pub const LARGE_CLASSES: usize = 4 * (CACHED_LIMIT / SMALL_LIMIT).trailing_zeros() as usize;
/// The class of requests past `CACHED_LIMIT`, which are not rounded and never cached.
pub const UNCACHED: u32 = LARGE_CLASSES as u32;
/// Where a large block's state sits in its header.
const STATE: u32 = 24;
/// Where a large block's header keeps the size it was asked for, so that a free must name it.
const ASKED: u32 = 28;
/// Keys of the two states: their low six bits (zero in every block offset) tell them apart.
const LIVE_KEY: u32 = 0x4c49_5601;
const CACHED_KEY: u32 = 0x4341_4302;

/// The class of a request of `size` bytes above `SMALL_LIMIT`; `UNCACHED` past `CACHED_LIMIT`.
#[inline]
pub fn large_class(size: u32) -> u32 {
    if size > CACHED_LIMIT {
        return UNCACHED;
    }
    let last = size - 1;
    let top = 31 - last.leading_zeros();
    let quarter = (last - (1 << top)) >> (top - 2);
    4 * (top - SMALL_LIMIT.trailing_zeros()) + quarter
}

/// The bytes every block of a cached `class` offers.
#[inline]
pub fn class_size(class: u32) -> u32 {
    let octave = SMALL_LIMIT << (class / 4);
    octave + (class % 4 + 1) * (octave / 4)
}

/// The bytes of the TLSF block (header included) for a request of `size` bytes above
/// `SMALL_LIMIT`; `None` past what 32 bits hold.
#[inline]
pub fn large_total(size: u32) -> Option<u32> {
    match large_class(size) {
        UNCACHED => size.checked_add(HEADER),
        class => Some(class_size(class) + HEADER),
    }
}

/// The state of a block its caller has.
#[inline]
pub fn live(block: u32, class: u32) -> u32 {
    block ^ LIVE_KEY ^ (class << 8)
}

/// The state of a block a thread cache holds.
#[inline]
pub fn cached(block: u32, class: u32) -> u32 {
    block ^ CACHED_KEY ^ (class << 8)
}

/// The state word of the large block (or what may be one) whose header is at `block`.
#[inline]
pub fn state(base: usize, block: u32) -> &'static AtomicU32 {
    word_at(base, block + STATE)
}

/// The size the live large block at `block` was asked for (stable while it is live).
#[inline]
pub fn asked(base: usize, block: u32) -> u32 {
    word_at(base, block + ASKED).load(Ordering::Relaxed)
}

/// Records the size a request asked for of the block at `block`, which it now has.
#[inline]
pub fn set_asked(base: usize, block: u32, size: u32) {
    word_at(base, block + ASKED).store(size, Ordering::Relaxed);
}

/// Makes `block` the live block of a request of `size` bytes: the last write of an
/// allocation or resize, under the lock.
#[inline]
pub fn set_live(base: usize, block: u32, size: u32) {
    set_asked(base, block, size);
    state(base, block).store(live(block, large_class(size)), Ordering::Release);
}

/// Whether the words at `block` look like the header of a used large block of `class` (see
/// tlsf.rs): outside the slabs, not free, the class's size, its tag. Read without the lock, so
/// only a hint, but it keeps a stale cache entry from swapping a word of whatever its space
/// holds now (a slab's states, a buffer's bytes) that happens to spell its state.
#[inline(never)]
pub fn looks_large(map: &SlabMap, base: usize, block: u32, class: u32) -> bool {
    let word = word_at(base, block).load(Ordering::Relaxed);
    let total = class_size(class) + HEADER;
    !map.contains(block)
        && word & FREE_BIT == 0
        && word >= total
        && word - total < MIN_BLOCK
        && word_at(base, block + 8).load(Ordering::Relaxed) == block ^ LARGE_TAG
}

/// Moves the state of `block` from `from` to `to`; false if it was not `from`.
#[inline]
pub fn swap(base: usize, block: u32, from: u32, to: u32) -> bool {
    state(base, block).compare_exchange(from, to, Ordering::AcqRel, Ordering::Relaxed).is_ok()
}

impl<M: Memory> Heap<M> {
    /// Releases the cached block of `class` whose header is at `block`; false (nothing changes)
    /// if it is not cached: a stale cache entry.
    #[inline(never)]
    pub(crate) fn uncache_large(&mut self, block: u32, class: u32) -> bool {
        let cached = block >= self.start + GRANULE
            && block < self.end
            && looks_large(self.map(), self.base(), block, class)
            && self.prev_phys(block + self.size(block)) == block
            && swap(self.base(), block, cached(block, class), 0);
        if cached {
            self.release(block);
        }
        cached
    }

    /// Releases every cached large block, walking the heap: for memory pressure and
    /// `release_unused`. Cache entries go stale (their owners skip them). Returns how many.
    #[cold]
    #[inline(never)]
    pub(crate) fn sweep_large(&mut self) -> u32 {
        let mut swept = 0;
        let mut block = self.start + GRANULE;
        while block != self.end {
            if !self.is_free(block) && !self.in_slab(block) {
                let value = state(self.base(), block).load(Ordering::Acquire);
                let class = (value ^ block ^ CACHED_KEY) >> 8;
                if value == cached(block, class) && class < UNCACHED && self.uncache_large(block, class) {
                    swept += 1;
                    // The released block may have merged with the free block before it.
                    let prev = self.prev_phys(block);
                    if prev != 0 && self.is_free(prev) && prev + self.size(prev) > block {
                        block = prev;
                    }
                }
            }
            block += self.size(block);
        }
        swept
    }
}
