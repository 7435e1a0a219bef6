//! TLSF, the allocator for blocks above `SMALL_LIMIT` and for slabs: allocation and free are
//! O(1) (two bitmap scans), free blocks coalesce with their neighbours at once through boundary
//! tags, and fragmentation stays low for the mix of sizes buffers see. A buddy allocator would
//! waste up to half of each large block. Block layout: see heap.rs.

use core::sync::atomic::Ordering;

use crate::placement::ALIGNED_FROM;
use crate::heap::{round_up, Heap, Memory, FL_COUNT, FOREIGN, FREE_BIT, GRANULE, HEADER, MIN_BLOCK, OK, PAGE, SL_COUNT, SL_LOG2, DOUBLE_FREE};
use crate::large::{asked, cached, large_class, large_total, live, set_live, state};

/// Tag of a used TLSF block at header +8, xor its offset (slabs carry their own tag there).
pub(crate) const LARGE_TAG: u32 = 0x4e46_4c47;
/// Growth step: at least this much at once, so that small requests do not grow page by page.
const MIN_GROWTH: u64 = 16 * PAGE;

#[inline]
fn log2(value: u32) -> u32 {
    31 - value.leading_zeros()
}

/// The free list holding blocks of `granules` granules.
#[inline]
fn mapping(granules: u32) -> (usize, usize) {
    if granules < SL_COUNT as u32 {
        (0, granules as usize)
    } else {
        let f = log2(granules);
        ((f - SL_LOG2 + 1) as usize, ((granules >> (f - SL_LOG2)) - SL_COUNT as u32) as usize)
    }
}

impl<M: Memory> Heap<M> {
    pub(crate) fn alloc_large(&mut self, size: u32) -> u32 {
        let total = match large_total(size) {
            Some(total) => total,
            None => return 0,
        };
        let block = if size >= ALIGNED_FROM { self.take_large(total) } else { self.take_anywhere(total) };
        if block == 0 {
            return 0;
        }
        self.write(block + 8, block ^ LARGE_TAG);
        set_live(self.base(), block, size);
        block + HEADER
    }

    /// Whether a live TLSF block obtained for `size` bytes starts at `offset` (see heap.rs
    /// for the checks).
    pub(crate) fn check_large(&self, offset: u32, size: u32) -> u32 {
        let first = self.start + GRANULE;
        if offset % GRANULE != 0 || offset < first + HEADER || offset >= self.end {
            return FOREIGN;
        }
        let block = offset - HEADER;
        if self.in_slab(block) {
            return FOREIGN;
        }
        let word = self.read(block);
        let block_size = word & !(GRANULE - 1);
        let freed = word & FREE_BIT != 0;
        if block_size < MIN_BLOCK || block_size > self.end - block {
            return FOREIGN;
        }
        if self.prev_phys(block + block_size) != block {
            // A block freed and merged into its neighbour keeps its stale, free-marked header.
            return if freed { DOUBLE_FREE } else { FOREIGN };
        }
        let prev = self.prev_phys(block);
        if prev != 0 && (prev < first || prev >= block || prev + self.size(prev) != block) {
            return FOREIGN;
        }
        if freed {
            return DOUBLE_FREE;
        }
        let total = match large_total(size) {
            Some(total) => total,
            None => return FOREIGN,
        };
        if self.read(block + 8) != block ^ LARGE_TAG || block_size < total || block_size - total >= MIN_BLOCK {
            return FOREIGN;
        }
        // A block a thread cache holds is used as far as TLSF knows: its state tells.
        match state(self.base(), block).load(Ordering::Acquire) {
            value if value == live(block, large_class(size)) && asked(self.base(), block) == size => OK,
            value if value == cached(block, large_class(size)) => DOUBLE_FREE,
            _ => FOREIGN,
        }
    }

    /// Marks `block` free, merges it with free neighbours and files it.
    pub(crate) fn release(&mut self, mut block: u32) {
        // No state in a free block: a stale cache entry or free finds nothing to swap.
        state(self.base(), block).store(0, Ordering::Release);
        self.set_free(block, true);
        let prev = self.prev_phys(block);
        if prev != 0 && self.is_free(prev) {
            self.remove(prev);
            self.absorb_next(prev);
            block = prev;
        }
        let next = block + self.size(block);
        if self.is_free(next) {
            self.remove(next);
            self.absorb_next(block);
        }
        self.insert(block);
    }

    /// Makes `block` exactly `total` bytes (or a little more) without moving it, using the
    /// free block after it when growing. False if it cannot.
    pub(crate) fn resize_in_place(&mut self, block: u32, total: u32) -> bool {
        let size = self.size(block);
        if total > size {
            let next = block + size;
            // The last block (alone, or before a free tail) grows into new memory instead of
            // moving: a growing buffer at the end of the heap never needs twice its size.
            let last = next == self.end || (self.is_free(next) && next + self.size(next) == self.end);
            if last && !self.grow(total - size) {
                return false;
            }
            if !self.is_free(next) || size as u64 + self.size(next) as u64 > u32::MAX as u64 {
                return false;
            }
            if size + self.size(next) < total {
                return false;
            }
            self.remove(next);
            self.absorb_next(block);
        }
        self.split(block, total);
        true
    }

    /// Splits off the part of used `block` beyond `total` bytes as a free block, when it is
    /// large enough to be one.
    pub(crate) fn split(&mut self, block: u32, total: u32) {
        let size = self.size(block);
        if size - total < MIN_BLOCK {
            return;
        }
        self.set_size(block, total);
        let rest = block + total;
        self.write_block(rest, size - total, block, false);
        let after = rest + size - total;
        self.set_prev_phys(after, rest);
        self.release(rest);
    }

    /// Adds the block after `block` to it.
    fn absorb_next(&mut self, block: u32) {
        let next = block + self.size(block);
        let merged = self.size(block) + self.size(next);
        self.set_size(block, merged);
        self.set_prev_phys(block + merged, block);
    }

    /// A free block of at least `total` bytes, or 0.
    pub(crate) fn find(&self, total: u32) -> u32 {
        let total = if total < MIN_BLOCK { MIN_BLOCK } else { total };
        let granules = (total + GRANULE - 1) / GRANULE;
        if granules < SL_COUNT as u32 {
            return self.search(granules);
        }
        // Round up to the next list so that any block found there is large enough...
        let rounded = granules.checked_add((1 << (log2(granules) - SL_LOG2)) - 1);
        let found = match rounded {
            Some(rounded) => self.search(rounded),
            None => 0,
        };
        if found != 0 {
            return found;
        }
        // ...but before growing, try the first block of the request's own list.
        let (fl, sl) = mapping(granules);
        let head = self.heads[fl][sl];
        if head != 0 && self.size(head) >= total {
            head
        } else {
            0
        }
    }

    /// `find`, else any block of the request's own list that holds `total` bytes, not only its
    /// head: a walk of one list, for the paths that would otherwise grow or fail.
    pub(crate) fn find_anywhere(&self, total: u32) -> u32 {
        let found = self.find(total);
        let total = if total < MIN_BLOCK { MIN_BLOCK } else { total };
        let (fl, sl) = mapping((total + GRANULE - 1) / GRANULE);
        if found != 0 || fl >= FL_COUNT {
            return found;
        }
        let mut block = self.heads[fl][sl];
        while block != 0 && self.size(block) < total {
            block = self.read(block + 8);
        }
        block
    }

    /// The first block of the first non-empty list at or after the one of `granules`.
    fn search(&self, granules: u32) -> u32 {
        let (mut fl, sl) = mapping(granules);
        if fl >= FL_COUNT {
            return 0;
        }
        let mut sl_map = self.sl_bitmap[fl] & (!0u32 << sl);
        if sl_map == 0 {
            let fl_map = if fl + 1 < 32 { self.fl_bitmap & (!0u32 << (fl + 1)) } else { 0 };
            if fl_map == 0 {
                return 0;
            }
            fl = fl_map.trailing_zeros() as usize;
            sl_map = self.sl_bitmap[fl];
        }
        self.heads[fl][sl_map.trailing_zeros() as usize]
    }

    pub(crate) fn insert(&mut self, block: u32) {
        let (fl, sl) = mapping(self.size(block) / GRANULE);
        let head = self.heads[fl][sl];
        self.write(block + 8, head);
        self.write(block + 12, 0);
        if head != 0 {
            self.write(head + 12, block);
        }
        self.heads[fl][sl] = block;
        self.fl_bitmap |= 1 << fl;
        self.sl_bitmap[fl] |= 1 << sl;
    }

    pub(crate) fn remove(&mut self, block: u32) {
        let (fl, sl) = mapping(self.size(block) / GRANULE);
        let next = self.read(block + 8);
        let prev = self.read(block + 12);
        if next != 0 {
            self.write(next + 12, prev);
        }
        if prev != 0 {
            self.write(prev + 8, next);
        } else {
            self.heads[fl][sl] = next;
            if next == 0 {
                self.sl_bitmap[fl] &= !(1 << sl);
                if self.sl_bitmap[fl] == 0 {
                    self.fl_bitmap &= !(1 << fl);
                }
            }
        }
    }

    /// Grows the memory so that a block of `total` bytes fits; the new space joins the heap
    /// where the sentinel was, merged with a free block before it.
    ///
    /// Rare paths (this, `init`, `new_slab`, `return_empty_slabs`, `sweep`) are kept out of
    /// line: the module is embedded in apps' bundles, and inlined copies only make it bigger.
    #[cold]
    #[inline(never)]
    pub(crate) fn grow(&mut self, total: u32) -> bool {
        let tail = self.prev_phys(self.end);
        let tail_free = if self.is_free(tail) { self.size(tail) as u64 } else { 0 };
        let wanted = (total as u64).saturating_sub(tail_free);
        if wanted == 0 {
            // The free tail holds `total` already (the lists offer only their heads, so a
            // search can miss it): nothing to add. Growing by nothing wrote a block of size 0.
            return true;
        }
        let current = self.memory.size();
        let room = if self.limit > current { (self.limit - current) / PAGE * PAGE } else { 0 };
        let needed = round_up(wanted, PAGE);
        if needed > room {
            return false;
        }
        let mut bytes = round_up(if wanted > MIN_GROWTH { wanted } else { MIN_GROWTH }, PAGE);
        if bytes > room {
            bytes = needed;
        }
        if current + bytes > (1u64 << 32) || !self.memory.grow(bytes) {
            return false;
        }
        let block = self.end;
        self.end = (self.memory.size() - HEADER as u64) as u32;
        self.write_block(block, self.end - block, tail, false);
        self.write_block(self.end, HEADER, block, false);
        self.release(block);
        true
    }

    /// Whether free `block` is on its list's bitmap (for the heap check in tests).
    #[cfg(test)]
    pub(crate) fn is_listed(&self, block: u32) -> bool {
        let (fl, sl) = mapping(self.size(block) / GRANULE);
        self.sl_bitmap[fl] & (1 << sl) != 0
    }
}
