//! Where a new TLSF block goes: out of a free block found, or made by returning empty slabs,
//! growing the memory or sweeping the thread caches (`find_or_make`), and for two kinds of
//! blocks at an aligned offset. Slabs' headers sit on a `SLAB_SPAN` boundary (slabs.rs).
//! Blocks of `ALIGNED_FROM` bytes or more start their payload on a 4 KiB page, where the kernel
//! copies a file's pages fastest: 1 MiB reads from the page cache took 3-6 % longer into pool
//! memory 64 or 2560 bytes past a page than into the page itself (Linux, AMD; jemalloc and
//! mimalloc page-align their large blocks too).
//!
//! For those, alignment is a speed, never a cost in room: a block goes in the free block
//! `find_or_make` finds for it unaligned (so the memory grows, and caches are swept, only when
//! they would without alignment), at the first page inside it, else unaligned there. The gap in
//! front stays a free block for others; same-size blocks packed up to the limit lose at most
//! one block in 64 to the gaps (at `ALIGNED_FROM`, less for larger ones), which is why smaller
//! ones are not aligned. All of this runs under the pool's lock.

use crate::heap::{round_up, Heap, Memory, GRANULE, HEADER, MIN_BLOCK};
use crate::states::SLAB_SPAN;

/// The smallest request whose payload starts on a page.
pub const ALIGNED_FROM: u32 = 256 * 1024;
/// The page that payloads of `ALIGNED_FROM` bytes or more start on.
pub const PAYLOAD_PAGE: u32 = 4096;

impl<M: Memory> Heap<M> {
    /// A used block of `total` bytes wherever `find_or_make` finds room; 0 if there is none.
    pub(crate) fn take_anywhere(&mut self, total: u32) -> u32 {
        match self.find_or_make(total) {
            0 => 0,
            block => self.carve(block, total, GRANULE, 0),
        }
    }

    /// A used block of `total` bytes whose payload starts on a page where that costs no room
    /// (see the module's notes); 0 if there is no room at all.
    pub(crate) fn take_large(&mut self, total: u32) -> u32 {
        match self.find_or_make(total) {
            0 => 0,
            block => match self.carve(block, total, PAYLOAD_PAGE, HEADER) {
                0 => self.carve(block, total, GRANULE, 0),
                at => at,
            },
        }
    }

    /// A used block of `SLAB_SPAN` bytes at a `SLAB_SPAN`-aligned offset, out of the first
    /// free block that fits it or the free tail if the offset falls inside, else out of one
    /// found or made with room for any start; 0 if there is none.
    pub(crate) fn take_slab(&mut self) -> u32 {
        // The first block the lists offer, else the free tail, which a block with room for
        // any start (twice the span) may be too small to be but still hold one.
        let offered = self.find(SLAB_SPAN);
        let mut at = if offered == 0 { 0 } else { self.carve(offered, SLAB_SPAN, SLAB_SPAN, 0) };
        let tail = self.free_tail();
        if at == 0 && tail != 0 {
            at = self.carve(tail, SLAB_SPAN, SLAB_SPAN, 0);
        }
        if at != 0 {
            return at;
        }
        match self.find_or_make(2 * SLAB_SPAN + MIN_BLOCK) {
            0 => 0,
            block => self.carve(block, SLAB_SPAN, SLAB_SPAN, 0),
        }
    }

    /// A free block of at least `total` bytes: from the lists, else after returning empty
    /// slabs, else after growing the memory, else from anywhere in the lists (`find` offers
    /// only the head of the request's own list), else after taking back every block the
    /// thread caches hold (see `sweep`, `sweep_large`) and growing again; 0 if there is none.
    pub(crate) fn find_or_make(&mut self, total: u32) -> u32 {
        let block = self.find(total);
        if block != 0 {
            return block;
        }
        if self.empty_slabs > 0 {
            self.return_empty_slabs();
            let block = self.find(total);
            if block != 0 {
                return block;
            }
        }
        // After growing, the free tail holds `total` (`grow` adds nothing where it did).
        if self.grow(total) {
            return self.find_anywhere(total);
        }
        let block = self.find_anywhere(total);
        // A request past what the memory may ever hold takes nothing back from the caches.
        if block != 0 || total as u64 > self.limit {
            return block;
        }
        let slabs_back = self.sweep() > 0 && self.empty_slabs > 0;
        if slabs_back {
            self.return_empty_slabs();
        }
        if self.sweep_large() > 0 || slabs_back {
            // What came back may join the free end of the heap, which can then grow to fit.
            let block = self.find_anywhere(total);
            return if block == 0 && self.grow(total) { self.find_anywhere(total) } else { block };
        }
        0
    }

    /// The free block at the end of the heap; 0 if the last block is used.
    fn free_tail(&self) -> u32 {
        let tail = self.prev_phys(self.end);
        if self.is_free(tail) {
            tail
        } else {
            0
        }
    }

    /// Carves a used block of `total` bytes out of free `block` at the first offset `at` with
    /// `(at + skew) % align == 0`, leaving what is before and after it free; 0 (and `block`
    /// untouched) if it does not fit.
    pub(crate) fn carve(&mut self, block: u32, total: u32, align: u32, skew: u32) -> u32 {
        let size = self.size(block);
        let mut at = round_up(block as u64 + skew as u64, align as u64) - skew as u64;
        // A gap in front must be a block of its own, or nothing.
        if at != block as u64 && at - (block as u64) < MIN_BLOCK as u64 {
            at += align as u64;
        }
        if at + total as u64 > block as u64 + size as u64 {
            return 0;
        }
        let at = at as u32;
        self.remove(block);
        if at > block {
            let front = at - block;
            let prev = self.prev_phys(block);
            self.write_block(block, front, prev, true);
            self.write_block(at, size - front, block, false);
            self.set_prev_phys(block + size, at);
            self.insert(block);
        } else {
            self.set_free(block, false);
        }
        self.split(at, total);
        at
    }
}
