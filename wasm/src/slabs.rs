//! Size classes: blocks of up to `SMALL_LIMIT` bytes, cut from slabs.
//!
//! A slab is a used TLSF block of `SLAB_SPAN` bytes whose header sits at a `SLAB_SPAN`-aligned
//! offset, so the slab of any small block is its offset rounded down. The slab's own 64-byte
//! header holds, after TLSF's two words:
//!
//! ```text
//! +8  SLAB_TAG | class      +12 number of used blocks
//! +16 bitmap of used blocks (8 words; bits past the block count are set)
//! +48 next and +52 previous slab in the class's list of slabs with a free block
//! ```
//!
//! A bitmap rather than a free list threaded through the blocks: a stale view that writes into
//! a freed block cannot corrupt the allocator, and a double free is a clear bit. The slab map
//! (one bit per 16 KiB chunk) tells a real slab from bytes that merely look like one.

use crate::heap::{round_up, Heap, Memory, DOUBLE_FREE, FOREIGN, GRANULE, HEADER, MIN_BLOCK, OK};

/// log2 of the slab size and alignment.
pub const SLAB_SHIFT: u32 = 14;
/// Bytes in a slab, its header included.
pub const SLAB_SPAN: u32 = 1 << SLAB_SHIFT;
const SLAB_TAG: u32 = 0x4e46_5300;
const BITMAP: u32 = 16;
const BITMAP_WORDS: u32 = 8;
const NEXT: u32 = 48;
const PREV: u32 = 52;

/// Blocks of `size` bytes in one slab (at most 255, so the bitmap's 256 bits suffice).
#[inline]
fn blocks_per_slab(size: u32) -> u32 {
    (SLAB_SPAN - HEADER) / size
}

impl<M: Memory> Heap<M> {
    pub(crate) fn alloc_small(&mut self, size: u32) -> u32 {
        let class = (size / GRANULE - 1) as usize;
        let mut slab = self.partial[class];
        if slab == 0 {
            slab = self.new_slab(class);
            if slab == 0 {
                return 0;
            }
        }
        let mut index = u32::MAX;
        for w in 0..BITMAP_WORDS {
            let word = slab + BITMAP + 4 * w;
            let bits = self.read(word);
            if bits != u32::MAX {
                let bit = (!bits).trailing_zeros();
                self.write(word, bits | 1 << bit);
                index = w * 32 + bit;
                break;
            }
        }
        if index == u32::MAX {
            // A slab on the list with no free block: the heap is corrupt; fault (see pool.rs).
            crate::trap();
        }
        let used = self.read(slab + 12);
        if used == 0 {
            self.empty_slabs -= 1;
        }
        self.write(slab + 12, used + 1);
        if used + 1 == blocks_per_slab(size) {
            self.unlink_slab(class, slab);
        }
        slab + HEADER + index * size
    }

    pub(crate) fn free_small(&mut self, offset: u32, size: u32) -> u32 {
        let (slab, index, code) = self.check_small(offset, size);
        if code != OK {
            return code;
        }
        let word = slab + BITMAP + 4 * (index / 32);
        let bits = self.read(word);
        self.write(word, bits & !(1 << (index % 32)));
        let used = self.read(slab + 12);
        if used == blocks_per_slab(size) {
            self.link_slab((size / GRANULE - 1) as usize, slab);
        }
        self.write(slab + 12, used - 1);
        if used == 1 {
            self.empty_slabs += 1;
        }
        OK
    }

    /// The slab and index of the small block at `offset`, and whether it is live (`OK`).
    pub(crate) fn check_small(&self, offset: u32, size: u32) -> (u32, u32, u32) {
        if offset % GRANULE != 0 || offset < self.start || offset >= self.end {
            return (0, 0, FOREIGN);
        }
        let slab = offset & !(SLAB_SPAN - 1);
        let class = size / GRANULE - 1;
        if !self.in_slab(slab) || offset < slab + HEADER || self.read(slab + 8) != SLAB_TAG | class {
            return (0, 0, FOREIGN);
        }
        let relative = offset - slab - HEADER;
        let index = relative / size;
        if relative % size != 0 || index >= blocks_per_slab(size) {
            return (0, 0, FOREIGN);
        }
        let bits = self.read(slab + BITMAP + 4 * (index / 32));
        let code = if bits & 1 << (index % 32) != 0 { OK } else { DOUBLE_FREE };
        (slab, index, code)
    }

    /// Whether the 16 KiB chunk holding `offset` is (part of) a slab.
    #[inline]
    pub(crate) fn in_slab(&self, offset: u32) -> bool {
        let chunk = (offset >> SLAB_SHIFT) as usize;
        self.slab_map[chunk / 32] & 1 << (chunk % 32) != 0
    }

    fn mark_slab(&mut self, slab: u32, is_slab: bool) {
        let chunk = (slab >> SLAB_SHIFT) as usize;
        if is_slab {
            self.slab_map[chunk / 32] |= 1 << (chunk % 32);
        } else {
            self.slab_map[chunk / 32] &= !(1 << (chunk % 32));
        }
    }

    /// A new, empty slab for `class`, on the class's list; 0 if there is no room.
    #[cold]
    #[inline(never)]
    fn new_slab(&mut self, class: usize) -> u32 {
        let mut slab = self.find(SLAB_SPAN);
        slab = if slab == 0 { 0 } else { self.take_aligned(slab) };
        if slab == 0 {
            // A block with room for a slab wherever it starts.
            let block = self.find_or_make(2 * SLAB_SPAN + MIN_BLOCK);
            if block == 0 {
                return 0;
            }
            slab = self.take_aligned(block);
        }
        let size = (class as u32 + 1) * GRANULE;
        let count = blocks_per_slab(size);
        self.write(slab + 8, SLAB_TAG | class as u32);
        self.write(slab + 12, 0);
        for w in 0..BITMAP_WORDS {
            let first = w * 32;
            let bits = if first >= count {
                u32::MAX
            } else if count - first >= 32 {
                0
            } else {
                u32::MAX << (count - first)
            };
            self.write(slab + BITMAP + 4 * w, bits);
        }
        self.mark_slab(slab, true);
        self.link_slab(class, slab);
        self.empty_slabs += 1;
        slab
    }

    /// Carves a used block of `SLAB_SPAN` bytes at an aligned offset out of free `block`,
    /// leaving what is before and after it free; 0 (and `block` untouched) if it does not fit.
    fn take_aligned(&mut self, block: u32) -> u32 {
        let size = self.size(block);
        let mut slab = round_up(block as u64, SLAB_SPAN as u64);
        if slab != block as u64 && slab - (block as u64) < MIN_BLOCK as u64 {
            slab += SLAB_SPAN as u64;
        }
        if slab + SLAB_SPAN as u64 > block as u64 + size as u64 {
            return 0;
        }
        let slab = slab as u32;
        self.remove(block);
        if slab > block {
            let front = slab - block;
            let prev = self.prev_phys(block);
            self.write_block(block, front, prev, true);
            self.write_block(slab, size - front, block, false);
            self.set_prev_phys(block + size, slab);
            self.insert(block);
        } else {
            self.set_free(block, false);
        }
        self.split(slab, SLAB_SPAN);
        slab
    }

    /// Gives every slab with no used block back to TLSF, where it merges with free neighbours.
    #[cold]
    #[inline(never)]
    pub(crate) fn return_empty_slabs(&mut self) {
        for class in 0..self.partial.len() {
            let mut slab = self.partial[class];
            while slab != 0 {
                let next = self.read(slab + NEXT);
                if self.read(slab + 12) == 0 {
                    self.return_slab(class, slab);
                }
                slab = next;
            }
        }
        self.empty_slabs = 0;
    }

    /// Gives empty `slab` of `class` back to TLSF. Out of line: the loop above is unrolled.
    #[inline(never)]
    fn return_slab(&mut self, class: usize, slab: u32) {
        self.unlink_slab(class, slab);
        self.mark_slab(slab, false);
        self.write(slab + 8, 0);
        self.release(slab);
    }

    fn link_slab(&mut self, class: usize, slab: u32) {
        let head = self.partial[class];
        self.write(slab + NEXT, head);
        self.write(slab + PREV, 0);
        if head != 0 {
            self.write(head + PREV, slab);
        }
        self.partial[class] = slab;
    }

    fn unlink_slab(&mut self, class: usize, slab: u32) {
        let next = self.read(slab + NEXT);
        let prev = self.read(slab + PREV);
        if next != 0 {
            self.write(next + PREV, prev);
        }
        if prev != 0 {
            self.write(prev + NEXT, next);
        } else {
            self.partial[class] = next;
        }
    }
}
