//! Blocks carved out of free TLSF blocks at aligned offsets: slabs, whose header sits on a
//! `SLAB_SPAN` boundary (slabs.rs), and blocks past `CACHED_LIMIT`, whose payload starts on a
//! 4 KiB page. The kernel copies a file's pages faster into memory that starts on a page: 1 MiB
//! reads from the page cache took 3-6 % longer into pool memory 64 or 2560 bytes past a page
//! than into the page itself (this machine, Linux, AMD). jemalloc and mimalloc page-align their
//! large blocks too. The gap in front of such a block (under 4 KiB + 128 bytes) stays a free
//! block for others. Page alignment is a speed, not a promise: where the memory has no room for
//! the gap, a large block starts anywhere. All of this runs under the pool's lock.

use crate::heap::{round_up, Heap, Memory, GRANULE, MIN_BLOCK};

/// Where the payload of a block past `CACHED_LIMIT` starts (its header is the granule before).
pub const PAYLOAD_PAGE: u32 = 4096;

impl<M: Memory> Heap<M> {
    /// A used block of `total` bytes at an offset `at` with `(at + skew) % align == 0`, out of
    /// the first free block that fits it if the offset falls inside, else out of one with room
    /// for any start, else out of memory found or made as `find_or_make` does; 0 if there is
    /// none. With `anywhere` (large blocks, whose alignment is a speed), a free block that fits
    /// unaligned is taken before the memory grows, and any start will do rather than none.
    pub(crate) fn take_aligned(&mut self, total: u32, align: u32, skew: u32, anywhere: bool) -> u32 {
        // 0 past what 32 bits hold (then only an unaligned block can be tried).
        let room = total.checked_add(align + MIN_BLOCK).unwrap_or(0);
        let fits = self.find(total);
        let mut at = if fits == 0 { 0 } else { self.carve(fits, total, align, skew) };
        if at == 0 && room != 0 {
            at = match self.find(room) {
                0 => 0,
                block => self.carve(block, total, align, skew),
            };
        }
        if at == 0 && fits != 0 && anywhere {
            at = self.carve(fits, total, GRANULE, 0);
        }
        if at == 0 && room != 0 {
            at = match self.find_or_make(room) {
                0 => 0,
                block => self.carve(block, total, align, skew),
            };
        }
        if at == 0 && anywhere {
            at = match self.find_or_make(total) {
                0 => 0,
                block => self.carve(block, total, GRANULE, 0),
            };
        }
        at
    }

    /// Carves a used block of `total` bytes out of free `block` at the first offset `at` with
    /// `(at + skew) % align == 0`, leaving what is before and after it free; 0 (and `block`
    /// untouched) if it does not fit.
    #[inline(never)]
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

