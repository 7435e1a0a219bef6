//! Where small blocks are and what state each is in, readable without the pool's lock.
//!
//! Thread caches (cache.rs) hand out and take back small blocks without the shared lock, so
//! the truth about a block cannot live in any one cache: it lives in its slab's header, two
//! bits per block, changed only by compare-and-swap:
//!
//! ```text
//! FREE   00  in its slab, handed to nobody        (changed only under the lock)
//! LIVE   01  handed out to a caller
//! CACHED 10  freed by a caller, held by some thread's cache
//! NONE   11  past the slab's last block
//! ```
//!
//! A free is the one transition LIVE -> CACHED (or LIVE -> FREE under the lock), so freeing a
//! block twice finds it CACHED or FREE and is reported, whichever thread freed it first. A
//! block is handed out by CACHED -> LIVE (or FREE -> LIVE under the lock), so a cache entry that
//! went stale (its block swept back to the slab, or listed by two caches) fails its swap and is
//! skipped: every hand-out matches one free. That is what lets a thread die anywhere in a cache
//! operation, and lets any thread take over the cache of one that died, without a lock.
//!
//! The slab map (one bit per 16 KiB chunk: a slab starts there) tells a real slab from bytes
//! that merely look like one, before any state word is touched.

use core::sync::atomic::{AtomicU32, Ordering};

use crate::heap::GRANULE;

/// log2 of the slab size and alignment.
pub const SLAB_SHIFT: u32 = 14;
/// Bytes in a slab, its header included.
pub const SLAB_SPAN: u32 = 1 << SLAB_SHIFT;
/// Granules a slab's state map may start at after the first (see `states_of`).
const COLOURS: u32 = 3;
/// The slab header: TLSF's words and the slab's own in the first granule, then room for the
/// state map in any of the next `COLOURS`.
pub const SLAB_HEADER: u32 = (1 + COLOURS) * GRANULE;
/// Slab header +8: `SLAB_TAG | class`.
pub const SLAB_TAG: u32 = 0x4e46_5300;
pub(crate) const TAG: u32 = 8;
/// Words in a state map: 16 blocks each.
pub(crate) const STATE_WORDS: u32 = 16;

/// Where `slab`'s state map starts: +64, +128 or +192, by the slab's index (its colour).
///
/// Each cached call writes a state word in its block's slab, and one thread's slabs often lie
/// together (a thread takes a slab per size class, then the next thread takes its own). With
/// the map at one offset in every slab, two threads' state lines stood at one stride and the
/// two cores slowed each other as if they shared those lines: 2 threads allocating small
/// blocks gained 1.1-1.2x over 1 where their slabs lay one run after the other, 1.9x where
/// they took slabs in turn or had a pool each (`scaling` in tests/caches.rs). A C model of the
/// same accesses does the same, and moving one thread's lines by 64 bytes cures it there:
/// likely each core's prefetching along its stride reaching into lines the other writes (this
/// machine has no performance counters to show it). Colours break the stride, for 128 bytes
/// of each slab's header. By index, two threads' slabs of a class share a colour when each
/// took a multiple of 3 classes; that did no harm (12 classes natively: 1.98x, against 1.44x
/// with one offset), and a colour per thread kept in the slab's tag measured the same.
#[inline(always)]
pub(crate) fn states_of(slab: u32) -> u32 {
    slab + GRANULE * (1 + (slab >> SLAB_SHIFT) % COLOURS)
}

pub const FREE: u32 = 0;
pub const LIVE: u32 = 1;
pub const CACHED: u32 = 2;
pub const NONE: u32 = 3;
/// The low bit of every state in a word: `word & EVEN` has a bit per block that is LIVE or NONE.
pub(crate) const EVEN: u32 = 0x5555_5555;

/// Blocks of `size` bytes in one slab (at most 252, so the state map's 256 entries suffice).
#[inline]
pub fn blocks_per_slab(size: u32) -> u32 {
    granules_over_class(SLAB_GRANULES, class_of(size))
}

/// Granules in a slab after its header.
const SLAB_GRANULES: u32 = (SLAB_SPAN - SLAB_HEADER) / GRANULE;

/// `ceil(2^16 / (class + 1))`: dividing a granule count below 256 by a class's granules is a
/// multiplication and a shift, exact in that range (a division costs as much as the rest of a
/// cached allocation).
const RECIPROCALS: [u32; 16] = {
    let mut table = [0; 16];
    let mut class = 0;
    while class < 16 {
        table[class] = (65536 + class as u32) / (class as u32 + 1);
        class += 1;
    }
    table
};

/// `granules / (class + 1)` for `granules` below 256.
#[inline(always)]
fn granules_over_class(granules: u32, class: usize) -> u32 {
    granules * RECIPROCALS[class] >> 16
}

/// The size class of a small block size (a multiple of 64, 64 to 1024).
#[inline]
pub fn class_of(size: u32) -> usize {
    (size / GRANULE - 1) as usize
}

/// Words of the slab map: one bit per 16 KiB chunk of a 4 GiB memory.
pub const SLAB_MAP_WORDS: usize = ((1u64 << 32) >> SLAB_SHIFT) as usize / 32;

/// One bit per 16 KiB chunk of memory, set where a slab starts. Written under the lock, read
/// by anyone.
pub struct SlabMap {
    bits: [AtomicU32; SLAB_MAP_WORDS],
}

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicU32 = AtomicU32::new(0);

impl SlabMap {
    pub const fn new() -> Self {
        SlabMap { bits: [ZERO; SLAB_MAP_WORDS] }
    }

    /// Whether the 16 KiB chunk holding `offset` is a slab.
    #[inline]
    pub fn contains(&self, offset: u32) -> bool {
        let chunk = (offset >> SLAB_SHIFT) as usize;
        self.bits[chunk / 32].load(Ordering::Acquire) & 1 << (chunk % 32) != 0
    }

    pub(crate) fn set(&self, slab: u32, is_slab: bool) {
        let chunk = (slab >> SLAB_SHIFT) as usize;
        let bit = 1 << (chunk % 32);
        if is_slab {
            self.bits[chunk / 32].fetch_or(bit, Ordering::Release);
        } else {
            self.bits[chunk / 32].fetch_and(!bit, Ordering::Release);
        }
    }

    /// Word `w` of the map: bit `b` set if a slab starts at `(w * 32 + b) << SLAB_SHIFT`.
    #[inline]
    pub(crate) fn word(&self, w: usize) -> u32 {
        self.bits[w].load(Ordering::Acquire)
    }
}

/// A small block, found: its slab, its index there, and the word and shift of its state.
#[derive(Clone, Copy)]
pub struct Located {
    pub slab: u32,
    pub index: u32,
    word: *const AtomicU32,
    shift: u32,
}

impl Located {
    #[inline(always)]
    fn word(&self) -> &AtomicU32 {
        // SAFETY: the word lies in a slab header inside the memory (see `locate`).
        unsafe { &*self.word }
    }

    /// The block's state now.
    #[inline(always)]
    pub fn state(&self) -> u32 {
        self.word().load(Ordering::Acquire) >> self.shift & 3
    }

    /// Moves the block from state `from` to `to`; on failure, the state it was in instead.
    #[inline(always)]
    pub fn swap(&self, from: u32, to: u32) -> Result<(), u32> {
        let word = self.word();
        let mut bits = word.load(Ordering::Relaxed);
        loop {
            let state = bits >> self.shift & 3;
            if state != from {
                return Err(state);
            }
            let next = bits ^ (from ^ to) << self.shift;
            match word.compare_exchange_weak(bits, next, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Ok(()),
                Err(now) => bits = now,
            }
        }
    }
}

/// The state word `w` (0 to 15) of `slab`, at `base` + offset.
#[inline(always)]
pub(crate) fn state_word(base: usize, slab: u32, w: u32) -> &'static AtomicU32 {
    // SAFETY: slab headers lie inside the memory; the word is aligned.
    unsafe { &*((base + (states_of(slab) + 4 * w) as usize) as *const AtomicU32) }
}

/// The small block of `size` bytes (a multiple of 64 up to 1024) at `offset`, if a slab of
/// that size class holds a block there. Needs no lock: reads only the slab map and the slab's
/// tag, which change under the lock with the map bit cleared while the tag is not valid.
#[inline(always)]
pub fn locate(map: &SlabMap, base: usize, offset: u32, size: u32) -> Option<Located> {
    if offset % GRANULE != 0 || !map.contains(offset) {
        return None;
    }
    let slab = offset & !(SLAB_SPAN - 1);
    let tag = word_at(base, slab + TAG).load(Ordering::Acquire);
    if offset < slab + SLAB_HEADER || tag != SLAB_TAG | class_of(size) as u32 {
        return None;
    }
    let granules = (offset - slab - SLAB_HEADER) / GRANULE;
    let class = class_of(size);
    let index = granules_over_class(granules, class);
    if index * (class as u32 + 1) != granules || index >= granules_over_class(SLAB_GRANULES, class) {
        return None;
    }
    Some(Located {
        slab,
        index,
        word: state_word(base, slab, index / 16),
        shift: 2 * (index % 16),
    })
}

/// The word at `offset` as an atomic.
#[inline(always)]
pub(crate) fn word_at(base: usize, offset: u32) -> &'static AtomicU32 {
    // SAFETY: callers pass offsets of aligned words inside the memory.
    unsafe { &*((base + offset as usize) as *const AtomicU32) }
}
