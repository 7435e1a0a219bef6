//! The heap: size classes for small blocks over a TLSF allocator for everything else. Every
//! function here runs under the pool's lock (pool.rs); thread caches (cache.rs) come first.
//!
//! Memory is addressed by 32-bit offsets from `base` (0 in wasm, where offsets are addresses).
//! Every TLSF block starts with a one-granule header, so payloads are 64-byte aligned:
//!
//! ```text
//! header +0  size of the block in bytes, header included; bit 0 set when free
//!        +4  offset of the previous block in memory (0 for the first)
//!        +8  next free block in the same list (free blocks); a tag (used blocks, below)
//!        +12 previous free block in the same list (free blocks only)
//!        +24 a used large block's state, +28 the size asked for (large.rs)
//! ```
//!
//! The last granule of the heap is a sentinel: a used block that is never handed out, so every
//! real block has a next neighbour. Growing the heap turns the sentinel into free space.
//!
//! Requests of up to `SMALL_LIMIT` bytes are served from slabs (slabs.rs): TLSF blocks of
//! 16 KiB at 16 KiB-aligned addresses, each cut into blocks of one size class. A slab whose
//! blocks are all free goes back to TLSF when a request would otherwise grow the memory or fail.
//!
//! Frees are checked, not trusted: a used TLSF block carries a tag at header +8 (its offset
//! xor `LARGE_TAG`) and consistent boundary tags; small blocks have their state in their
//! slab (states.rs). A double free or an address that is not a live block is reported
//! (`DOUBLE_FREE`, `FOREIGN`) and changes nothing.

use crate::large::{large_class, large_total, live, set_live, swap};
use crate::states::SlabMap;

/// Allocation granularity and alignment, in bytes.
pub const GRANULE: u32 = 64;
/// Requests up to this many bytes use the size classes.
pub const SMALL_LIMIT: u32 = 1024;

pub(crate) const HEADER: u32 = GRANULE;
pub(crate) const MIN_BLOCK: u32 = 2 * GRANULE;
pub(crate) const FREE_BIT: u32 = 1;
pub const CLASS_COUNT: usize = (SMALL_LIMIT / GRANULE) as usize;
pub(crate) const PAGE: u64 = 65536;

/// Result codes (below 64, so never an address) of `free`, and of `alloc`/`realloc` where
/// they stand in for an address. `OK` is also "out of memory" for `alloc`.
pub const OK: u32 = 0;
/// The block was live once but has been freed already.
pub const DOUBLE_FREE: u32 = 1;
/// No live block of that size starts at that address.
pub const FOREIGN: u32 = 2;
/// The pool is unusable: a thread faulted, or died holding the lock (see pool.rs).
pub const POISONED: u32 = 3;
/// The caller's thread cache was given to another thread: attach again.
pub const RETIRED: u32 = 4;

/// The linear memory under the heap.
pub trait Memory {
    /// The address of offset 0.
    fn base(&self) -> usize;
    /// The current size in bytes (a multiple of 64 KiB).
    fn size(&self) -> u64;
    /// Adds `bytes` (a multiple of 64 KiB) at the end; false if the memory cannot grow.
    fn grow(&mut self, bytes: u64) -> bool;
}

pub(crate) const SL_LOG2: u32 = 4;
pub(crate) const SL_COUNT: usize = 1 << SL_LOG2;
pub(crate) const FL_COUNT: usize = 24;

#[repr(C)]
pub struct Heap<M> {
    pub(crate) memory: M,
    /// Where slabs are: the pool's map, which lock-free paths read too (set by `init`).
    map: *const SlabMap,
    /// Offset of the zero-size area; the first block follows it.
    pub(crate) start: u32,
    /// Offset of the sentinel header.
    pub(crate) end: u32,
    /// The heap may not grow the memory past this many bytes.
    pub(crate) limit: u64,
    pub(crate) fl_bitmap: u32,
    pub(crate) sl_bitmap: [u32; FL_COUNT],
    pub(crate) heads: [[u32; SL_COUNT]; FL_COUNT],
    /// Per size class, the slabs that have a free block (a doubly linked list through slab headers).
    pub(crate) partial: [u32; CLASS_COUNT],
    /// How many slabs have no used block; they are returned to TLSF when space runs short.
    pub(crate) empty_slabs: u32,
    /// Counts the pool's critical sections: a clock for how long ago something was done.
    pub(crate) epoch: u32,
}

impl<M> Heap<M> {
    /// All zeros but the memory, so that the pool's statics cost the module no data bytes.
    pub const fn new(memory: M) -> Self {
        Heap {
            memory,
            map: core::ptr::null(),
            start: 0,
            end: 0,
            limit: 0,
            fl_bitmap: 0,
            sl_bitmap: [0; FL_COUNT],
            heads: [[0; SL_COUNT]; FL_COUNT],
            partial: [0; CLASS_COUNT],
            empty_slabs: 0,
            epoch: 0,
        }
    }

    /// The slab map (the heap is used only after `init`).
    #[inline(always)]
    pub(crate) fn map(&self) -> &'static SlabMap {
        // SAFETY: `init` points it at the pool's map, which lives as long as the pool.
        unsafe { &*self.map }
    }
}

#[inline]
pub(crate) fn round_up(value: u64, to: u64) -> u64 {
    (value + to - 1) / to * to
}

impl<M: Memory> Heap<M> {
    /// Lays the heap out from `heap_base` up to the end of the memory. `limit` caps growth.
    #[cold]
    #[inline(never)]
    pub fn init(&mut self, map: &SlabMap, heap_base: u32, limit: u64) -> bool {
        self.map = map;
        self.limit = limit;
        self.start = round_up(heap_base as u64, GRANULE as u64) as u32;
        let first = self.start + GRANULE;
        let needed = first as u64 + MIN_BLOCK as u64 + HEADER as u64;
        if self.memory.size() < needed {
            let bytes = round_up(needed - self.memory.size(), PAGE);
            if self.memory.size() + bytes > self.limit || !self.memory.grow(bytes) {
                return false;
            }
        }
        self.end = (self.memory.size() - HEADER as u64) as u32;
        self.write_block(first, self.end - first, 0, true);
        self.write_block(self.end, HEADER, first, false);
        self.insert(first);
        true
    }

    /// The offset handed out for zero-byte requests: valid, aligned, and never freed.
    pub fn zero_area(&self) -> u32 {
        self.start
    }

    /// The bytes of memory under the heap.
    pub fn memory_size(&self) -> u64 {
        self.memory.size()
    }

    /// A block of `size` bytes (a multiple of 64, not 0); 0 if there is no room.
    #[inline(never)]
    pub fn alloc(&mut self, size: u32) -> u32 {
        if size <= SMALL_LIMIT {
            self.alloc_small(size)
        } else {
            self.alloc_large(size)
        }
    }

    /// `OK` if a live block obtained for `size` bytes (a multiple of 64, not 0) starts at
    /// `offset`; else `DOUBLE_FREE` or `FOREIGN`.
    #[inline(never)]
    pub fn check_live(&self, offset: u32, size: u32) -> u32 {
        if size <= SMALL_LIMIT {
            self.check_small(offset, size)
        } else {
            self.check_large(offset, size)
        }
    }

    /// Returns a block obtained for `size` bytes: `OK`, or `DOUBLE_FREE` / `FOREIGN` and
    /// nothing changes.
    #[inline(never)]
    pub fn free(&mut self, offset: u32, size: u32) -> u32 {
        if size <= SMALL_LIMIT {
            return self.free_small(offset, size);
        }
        let code = self.check_large(offset, size);
        if code != OK {
            return code;
        }
        // Claimed by compare-and-swap: a free through a thread cache, which takes no lock, may
        // race this one (large.rs), and only one of them frees the block.
        let block = offset - HEADER;
        if !swap(self.base(), block, live(block, large_class(size)), 0) {
            return DOUBLE_FREE;
        }
        self.release(block);
        OK
    }

    /// Grows or shrinks the live large block at `offset`, obtained for `old_size` bytes, without
    /// moving it; false if it cannot (or a free through a thread cache took it meanwhile).
    pub fn resize_large(&mut self, offset: u32, old_size: u32, new_size: u32) -> bool {
        let block = offset - HEADER;
        // Claimed first, as `free` does: a racing free through a cache finds no live block.
        if !swap(self.base(), block, live(block, large_class(old_size)), 0) {
            return false;
        }
        let resized = match large_total(new_size) {
            Some(total) => self.resize_in_place(block, total),
            None => false,
        };
        set_live(self.base(), block, if resized { new_size } else { old_size });
        resized
    }

    /// Whether the chunk holding `offset` is part of a slab.
    #[inline]
    pub(crate) fn in_slab(&self, offset: u32) -> bool {
        self.map().contains(offset)
    }

    // ---- Memory access -----------------------------------------------------------------

    #[inline]
    pub(crate) fn base(&self) -> usize {
        self.memory.base()
    }

    #[inline]
    pub(crate) fn ptr(&self, offset: u32) -> *mut u8 {
        (self.memory.base() + offset as usize) as *mut u8
    }

    #[inline]
    pub(crate) fn read(&self, offset: u32) -> u32 {
        // SAFETY: offsets come from the heap's own bookkeeping and lie inside the memory.
        unsafe { core::ptr::read(self.ptr(offset) as *const u32) }
    }

    #[inline]
    pub(crate) fn write(&mut self, offset: u32, value: u32) {
        // SAFETY: as for `read`.
        unsafe { core::ptr::write(self.ptr(offset) as *mut u32, value) }
    }

    pub(crate) fn write_block(&mut self, block: u32, size: u32, prev_phys: u32, free: bool) {
        self.write(block, size | if free { FREE_BIT } else { 0 });
        self.write(block + 4, prev_phys);
    }

    #[inline]
    pub(crate) fn size(&self, block: u32) -> u32 {
        self.read(block) & !(GRANULE - 1)
    }

    #[inline]
    pub(crate) fn is_free(&self, block: u32) -> bool {
        self.read(block) & FREE_BIT != 0
    }

    pub(crate) fn set_size(&mut self, block: u32, size: u32) {
        let flags = self.read(block) & FREE_BIT;
        self.write(block, size | flags);
    }

    pub(crate) fn set_free(&mut self, block: u32, free: bool) {
        let size = self.size(block);
        self.write(block, size | if free { FREE_BIT } else { 0 });
    }

    #[inline]
    pub(crate) fn prev_phys(&self, block: u32) -> u32 {
        self.read(block + 4)
    }

    pub(crate) fn set_prev_phys(&mut self, block: u32, prev: u32) {
        self.write(block + 4, prev);
    }

    #[cfg(test)]
    pub fn memory_base(&self) -> usize {
        self.memory.base()
    }

    /// Walks every block and checks the invariants; returns the bytes in free TLSF blocks.
    #[cfg(test)]
    pub fn check(&self) -> u64 {
        let mut block = self.start + GRANULE;
        let mut prev = 0;
        let mut free_bytes = 0u64;
        let mut prev_free = false;
        while block != self.end {
            assert_eq!(self.prev_phys(block), prev, "prev_phys of {}", block);
            let size = self.size(block);
            assert!(size >= MIN_BLOCK && size % GRANULE == 0, "size {} at {}", size, block);
            let free = self.is_free(block);
            assert!(!(free && prev_free), "two free neighbours at {}", block);
            if free {
                free_bytes += size as u64;
                assert!(self.is_listed(block), "list bit for {}", block);
            } else if self.in_slab(block) {
                self.check_slab(block);
            }
            prev_free = free;
            prev = block;
            block += size;
        }
        assert_eq!(self.prev_phys(self.end), prev, "sentinel prev_phys");
        assert_eq!(self.end as u64 + HEADER as u64, self.memory.size(), "sentinel at the end");
        free_bytes
    }
}
