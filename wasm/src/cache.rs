//! Thread caches (as jemalloc's and mimalloc's): each thread that attaches to the pool gets a
//! slot with, per size class, a short stack of small blocks it freed or took from a slab in a
//! batch, and of large blocks up to `CACHED_LIMIT` it freed (large.rs). Allocating and freeing
//! such a block then takes no shared lock: a swap of the block's state (states.rs, large.rs)
//! and a push or pop on the thread's own stack.
//!
//! A cache is a list of hints, not the truth: an entry is used only if its block's state swaps
//! from CACHED to LIVE, so an entry gone stale (its block swept back to its slab) is skipped.
//! So a thread may die anywhere, any thread may sweep every cache (memory pressure,
//! `release_unused`), and a slot may be given to a new thread while its old owner still runs:
//! at worst blocks wait in a cache until the next sweep, never handed out twice. The stacks are
//! written by their owner only, except in that last race, which the state swaps make harmless
//! (counts are bounded, entries checked).
//!
//! A ticket names a slot and the attachment that got it: `slot | generation << 8`, never 0.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU32, Ordering};

use crate::heap::{Heap, Memory, CLASS_COUNT, HEADER};
use crate::large::{cached, class_size, large_class, live, looks_large, set_asked, swap, LARGE_CLASSES};
use crate::states::{class_of, locate, SlabMap, CACHED, LIVE};
use crate::stats::Account;

/// Threads with a cache, per pool; more attach without one (they take the lock each call).
pub const SLOTS: usize = 64;
/// Blocks a cache holds per size class.
pub const CAPACITY: usize = 16;
/// Blocks taken from a slab, or given back to slabs, at once.
pub const BATCH: usize = CAPACITY / 2;
/// Large blocks a cache holds per class (large.rs).
pub const LARGE_CAPACITY: usize = 4;
/// The bytes of large blocks a cache may hold in all.
pub const LARGE_BUDGET: u32 = 512 * 1024;
/// A slot idle for this many critical sections of the pool may be given to a new thread when
/// all are taken (its owner, if alive, attaches again on its next call).
pub const STALE: u32 = 4096;

#[repr(C)]
struct ClassCache {
    count: UnsafeCell<u32>,
    /// The slab this cache last filled from, a hint for the next fill.
    slab: UnsafeCell<u32>,
    blocks: UnsafeCell<[u32; CAPACITY]>,
}

/// A stack of large blocks of one class, by header offset.
#[repr(C)]
struct LargeStack {
    count: UnsafeCell<u32>,
    blocks: UnsafeCell<[u32; LARGE_CAPACITY]>,
}

#[repr(C, align(64))]
pub struct ThreadCache {
    /// The owner's ticket; 0 while the slot is free.
    owner: AtomicU32,
    /// The host's id for the owner thread (Node's `threadId` + 1; 0 unknown), for messages.
    pub host_id: AtomicU32,
    /// The slot's share of the statistics (stats.rs): with the owner, on its cache line.
    pub account: Account,
    /// Under the lock: the generation of the last ticket, and the heap's epoch at the last
    /// fill or flush.
    generation: UnsafeCell<u32>,
    last_active: UnsafeCell<u32>,
    classes: [ClassCache; CLASS_COUNT],
    large: [LargeStack; LARGE_CLASSES],
    /// The bytes the large stacks hold, stale entries included (the owner's alone).
    large_bytes: UnsafeCell<u32>,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_CLASS: ClassCache = ClassCache {
    count: UnsafeCell::new(0),
    slab: UnsafeCell::new(0),
    blocks: UnsafeCell::new([0; CAPACITY]),
};

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_LARGE: LargeStack = LargeStack {
    count: UnsafeCell::new(0),
    blocks: UnsafeCell::new([0; LARGE_CAPACITY]),
};

#[allow(clippy::declare_interior_mutable_const)]
pub const EMPTY_CACHE: ThreadCache = ThreadCache {
    owner: AtomicU32::new(0),
    host_id: AtomicU32::new(0),
    account: Account::new(),
    generation: UnsafeCell::new(0),
    last_active: UnsafeCell::new(0),
    classes: [EMPTY_CLASS; CLASS_COUNT],
    large: [EMPTY_LARGE; LARGE_CLASSES],
    large_bytes: UnsafeCell::new(0),
};

/// The slot a ticket names, if any.
#[inline]
pub fn slot_of(ticket: u32) -> Option<usize> {
    let slot = (ticket & 0xff) as usize;
    if ticket != 0 && slot < SLOTS {
        Some(slot)
    } else {
        None
    }
}

impl ThreadCache {
    #[inline]
    pub fn owned_by(&self, ticket: u32) -> bool {
        self.owner.load(Ordering::Relaxed) == ticket
    }

    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn class(&self, size: u32) -> (&mut u32, &mut [u32; CAPACITY]) {
        let class = &self.classes[class_of(size)];
        // SAFETY: only the owner thread uses its stacks (see the module notes for the race
        // with a new owner, which counts bounded by CAPACITY and state swaps make harmless).
        unsafe { (&mut *class.count.get(), &mut *class.blocks.get()) }
    }

    /// A cached block of `size` bytes, now LIVE; 0 if this cache has none left of that class.
    #[inline]
    pub fn pop(&self, map: &SlabMap, base: usize, size: u32) -> u32 {
        let (count, blocks) = self.class(size);
        let mut n = if (*count as usize) < CAPACITY { *count as usize } else { CAPACITY };
        while n > 0 {
            n -= 1;
            let block = blocks[n];
            if let Some(located) = locate(map, base, block, size) {
                if located.swap(CACHED, LIVE).is_ok() {
                    *count = n as u32;
                    return block;
                }
            }
        }
        *count = 0;
        0
    }

    /// Whether the stack of `size` blocks is full (the caller flushes before it frees).
    #[inline]
    pub fn is_full(&self, size: u32) -> bool {
        *self.class(size).0 as usize >= CAPACITY
    }

    /// Lists `block`, just made CACHED by its free; the stack has room (see `is_full`).
    #[inline]
    pub fn push(&self, size: u32, block: u32) {
        let (count, blocks) = self.class(size);
        if (*count as usize) < CAPACITY {
            blocks[*count as usize] = block;
            *count += 1;
        }
    }

    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn large(&self, class: u32) -> (&mut u32, &mut [u32; LARGE_CAPACITY], &mut u32) {
        let stack = &self.large[class as usize];
        // SAFETY: as in `class`.
        unsafe { (&mut *stack.count.get(), &mut *stack.blocks.get(), &mut *self.large_bytes.get()) }
    }

    /// A cached large block for a request of `size` bytes (large.rs), now LIVE: its payload's
    /// offset; 0 if this cache has none left of that class. (Out of line, as the other large
    /// paths: inlined, they made the module a fifth larger for no measurable speed.)
    #[inline(never)]
    pub fn pop_large(&self, map: &SlabMap, base: usize, size: u32) -> u32 {
        let class = large_class(size);
        let (count, blocks, bytes) = self.large(class);
        let mut n = if (*count as usize) < LARGE_CAPACITY { *count as usize } else { LARGE_CAPACITY };
        while n > 0 {
            n -= 1;
            let block = blocks[n];
            *bytes = bytes.saturating_sub(class_size(class));
            if block != 0 && looks_large(map, base, block, class) && swap(base, block, cached(block, class), live(block, class)) {
                set_asked(base, block, size);
                *count = n as u32;
                return block + HEADER;
            }
        }
        *count = 0;
        0
    }

    /// Whether a large block of `class` would overfill this cache (the caller frees it under
    /// the lock instead).
    #[inline]
    pub fn large_is_full(&self, class: u32) -> bool {
        let (count, _, bytes) = self.large(class);
        *count as usize >= LARGE_CAPACITY || bytes.saturating_add(class_size(class)) > LARGE_BUDGET
    }

    /// Lists the large `block` (its header's offset) of `class`, just made CACHED by its
    /// free; the cache has room (see `large_is_full`).
    #[inline]
    pub fn push_large(&self, class: u32, block: u32) {
        let (count, blocks, bytes) = self.large(class);
        if (*count as usize) < LARGE_CAPACITY {
            blocks[*count as usize] = block;
            *count += 1;
            *bytes = bytes.saturating_add(class_size(class));
        }
    }

    /// Under the lock: fills the empty stack of `size` blocks from a slab.
    #[inline(never)]
    pub(crate) fn fill<M: Memory>(&self, heap: &mut Heap<M>, slot: usize, size: u32) -> usize {
        let now = heap.epoch;
        let (count, blocks) = self.class(size);
        // SAFETY: as in `class`; `last_active` only changes under the lock.
        let (hint, last_active) = unsafe { (&mut *self.classes[class_of(size)].slab.get(), &mut *self.last_active.get()) };
        let n = heap.refill(size, slot as u32 + 1, hint, &mut blocks[..BATCH]);
        *last_active = now;
        *count = n;
        n as usize
    }

    /// Under the lock: gives the oldest `BATCH` blocks of the full stack of `size` blocks back
    /// to their slabs.
    #[inline(never)]
    pub(crate) fn flush<M: Memory>(&self, heap: &mut Heap<M>, size: u32) {
        let now = heap.epoch;
        let (count, blocks) = self.class(size);
        let n = if (*count as usize) < CAPACITY { *count as usize } else { CAPACITY };
        let gone = if n < BATCH { n } else { BATCH };
        for &block in &blocks[..gone] {
            heap.uncache(block, size);
        }
        blocks.copy_within(gone..n, 0);
        *count = (n - gone) as u32;
        // SAFETY: `last_active` only changes under the lock.
        unsafe { *self.last_active.get() = now };
    }

    /// Under the lock: gives every block back to its slab and frees the slot.
    #[inline(never)]
    pub(crate) fn retire<M: Memory>(&self, heap: &mut Heap<M>, slot: usize) {
        for (c, class) in self.classes.iter().enumerate() {
            let size = (c as u32 + 1) * crate::heap::GRANULE;
            let (count, blocks) = self.class(size);
            let n = if (*count as usize) < CAPACITY { *count as usize } else { CAPACITY };
            for &block in &blocks[..n] {
                heap.uncache(block, size);
            }
            *count = 0;
            // SAFETY: as in `class`.
            let hint = unsafe { &mut *class.slab.get() };
            heap.disown(*hint, size, slot as u32 + 1);
            *hint = 0;
        }
        for class in 0..LARGE_CLASSES as u32 {
            let (count, blocks, bytes) = self.large(class);
            let n = if (*count as usize) < LARGE_CAPACITY { *count as usize } else { LARGE_CAPACITY };
            for &block in &blocks[..n] {
                heap.uncache_large(block, class);
            }
            *count = 0;
            *bytes = 0;
        }
        self.owner.store(0, Ordering::Release);
    }

    /// Under the lock: makes this (free or retired) slot the cache of a new attachment.
    #[inline(never)]
    pub(crate) fn assign(&self, slot: usize, host_id: u32, now: u32) -> u32 {
        // SAFETY: `generation` and `last_active` only change under the lock.
        let generation = unsafe {
            let next = (*self.generation.get() + 1) & 0x00ff_ffff;
            *self.generation.get() = if next == 0 { 1 } else { next };
            *self.last_active.get() = now;
            *self.generation.get()
        };
        let ticket = slot as u32 | generation << 8;
        self.host_id.store(host_id, Ordering::Relaxed);
        self.owner.store(ticket, Ordering::Release);
        ticket
    }

    pub(crate) fn is_free(&self) -> bool {
        self.owner.load(Ordering::Relaxed) == 0
    }

    /// Under the lock: notes that the owner is active now (a miss of its large blocks), as a
    /// fill or flush does, so that a busy slot is not taken for idle.
    pub(crate) fn mark_active(&self, now: u32) {
        // SAFETY: `last_active` only changes under the lock.
        unsafe { *self.last_active.get() = now };
    }

    /// Under the lock: how many critical sections ago this cache was last active.
    pub(crate) fn idle(&self, now: u32) -> u32 {
        // SAFETY: `last_active` only changes under the lock.
        now.wrapping_sub(unsafe { *self.last_active.get() })
    }
}
