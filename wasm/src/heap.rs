//! The heap: size classes for small blocks over a TLSF allocator for everything else.
//!
//! Why TLSF: allocation and free are O(1) (two bitmap scans), free blocks coalesce with their
//! neighbours at once through boundary tags, and fragmentation stays low for the mix of sizes
//! buffers see. A buddy allocator would waste up to half of each large block.
//!
//! Memory is addressed by 32-bit offsets from `base` (0 in wasm, where offsets are addresses).
//! Every block starts with a one-granule header, so payloads are 64-byte aligned:
//!
//! ```text
//! header +0  size of the block in bytes, header included; bit 0 set when free
//!        +4  offset of the previous block in memory (0 for the first)
//!        +8  next free block in the same list (free blocks only)
//!        +12 previous free block in the same list (free blocks only)
//! ```
//!
//! The last granule of the heap is a sentinel: a used block that is never handed out, so every
//! real block has a next neighbour. Growing the heap turns the sentinel into free space.
//!
//! Requests of up to `SMALL_LIMIT` bytes are served from slabs (see slabs.rs): TLSF blocks of
//! 16 KiB at 16 KiB-aligned addresses, each cut into blocks of one size class. A slab whose
//! blocks are all free goes back to TLSF when a request would otherwise grow the memory or fail.
//!
//! Frees are checked, not trusted: a used TLSF block carries a tag at header +8 (its offset
//! xor `LARGE_TAG`) and consistent boundary tags, slabs are recorded in a bitmap of 16 KiB
//! chunks and carry a bitmap of their used blocks. A double free or an address that is not a
//! live block is reported (`DOUBLE_FREE`, `FOREIGN`) and changes nothing.

/// Allocation granularity and alignment, in bytes.
pub const GRANULE: u32 = 64;
/// Requests up to this many bytes use the size classes.
pub const SMALL_LIMIT: u32 = 1024;

pub(crate) const HEADER: u32 = GRANULE;
pub(crate) const MIN_BLOCK: u32 = 2 * GRANULE;
const FREE_BIT: u32 = 1;
pub(crate) const CLASS_COUNT: usize = (SMALL_LIMIT / GRANULE) as usize;
/// Words of the slab map: one bit per 16 KiB chunk of a 4 GiB memory.
pub(crate) const SLAB_MAP_WORDS: usize = ((1u64 << 32) >> crate::slabs::SLAB_SHIFT) as usize / 32;
/// Tag of a used TLSF block at header +8, xor its offset (slabs carry their own tag there).
const LARGE_TAG: u32 = 0x4e46_4c47;
const PAGE: u64 = 65536;

/// Result codes of `free` (and of `realloc`, where they stand in for an address).
pub const OK: u32 = 0;
/// The block was live once but has been freed already.
pub const DOUBLE_FREE: u32 = 1;
/// No live block of that size starts at that address.
pub const FOREIGN: u32 = 2;
/// The pool is unusable: a thread faulted while it held the lock.
pub const POISONED: u32 = 3;
/// Growth step: at least this much at once, so that small requests do not grow page by page.
const MIN_GROWTH: u64 = 16 * PAGE;

const SL_LOG2: u32 = 4;
const SL_COUNT: usize = 1 << SL_LOG2;
const FL_COUNT: usize = 24;

/// The linear memory under the heap.
pub trait Memory {
    /// The address of offset 0.
    fn base(&self) -> usize;
    /// The current size in bytes (a multiple of 64 KiB).
    fn size(&self) -> u64;
    /// Adds `bytes` (a multiple of 64 KiB) at the end; false if the memory cannot grow.
    fn grow(&mut self, bytes: u64) -> bool;
}

#[repr(C)]
pub struct Heap<M> {
    memory: M,
    /// Offset of the zero-size area; the first block follows it.
    pub(crate) start: u32,
    /// Offset of the sentinel header.
    pub(crate) end: u32,
    /// The heap may not grow the memory past this many bytes.
    limit: u64,
    fl_bitmap: u32,
    sl_bitmap: [u32; FL_COUNT],
    heads: [[u32; SL_COUNT]; FL_COUNT],
    /// Per size class, the slabs that have a free block (a doubly linked list through slab headers).
    pub(crate) partial: [u32; CLASS_COUNT],
    /// How many slabs have no used block; they are returned to TLSF when space runs short.
    pub(crate) empty_slabs: u32,
    /// One bit per 16 KiB chunk of memory: set where a slab starts.
    pub(crate) slab_map: [u32; SLAB_MAP_WORDS],
}

impl<M> Heap<M> {
    pub const fn new(memory: M) -> Self {
        Heap {
            memory,
            start: 0,
            end: 0,
            limit: 0,
            fl_bitmap: 0,
            sl_bitmap: [0; FL_COUNT],
            heads: [[0; SL_COUNT]; FL_COUNT],
            partial: [0; CLASS_COUNT],
            empty_slabs: 0,
            slab_map: [0; SLAB_MAP_WORDS],
        }
    }
}

#[inline]
pub(crate) fn round_up(value: u64, to: u64) -> u64 {
    (value + to - 1) / to * to
}

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
    /// Lays the heap out from `heap_base` up to the end of the memory. `limit` caps growth.
    #[cold]
    #[inline(never)]
    pub fn init(&mut self, heap_base: u32, limit: u64) -> bool {
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

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// A block of `size` bytes (a multiple of 64, not 0); 0 if there is no room.
    pub fn alloc(&mut self, size: u32) -> u32 {
        if size <= SMALL_LIMIT {
            self.alloc_small(size)
        } else {
            self.alloc_large(size)
        }
    }

    /// `OK` if a live block obtained for `size` bytes (a multiple of 64, not 0) starts at
    /// `offset`; else `DOUBLE_FREE` or `FOREIGN`.
    pub fn check_live(&self, offset: u32, size: u32) -> u32 {
        if size <= SMALL_LIMIT {
            self.check_small(offset, size).2
        } else {
            self.check_large(offset, size)
        }
    }

    /// Returns a block obtained for `size` bytes: `OK`, or `DOUBLE_FREE` / `FOREIGN` and
    /// nothing changes.
    pub fn free(&mut self, offset: u32, size: u32) -> u32 {
        if size <= SMALL_LIMIT {
            return self.free_small(offset, size);
        }
        let code = self.check_large(offset, size);
        if code == OK {
            self.release(offset - HEADER);
        }
        code
    }

    /// Moves a block of `old_size` bytes to one of `new_size`, in place where possible;
    /// 0 if there is no room (the old block is then untouched), `DOUBLE_FREE` or `FOREIGN`
    /// if the old block is not live.
    pub fn realloc(&mut self, offset: u32, old_size: u32, new_size: u32) -> u32 {
        let code = self.check_live(offset, old_size);
        if code != OK {
            return code;
        }
        let old_small = old_size <= SMALL_LIMIT;
        let new_small = new_size <= SMALL_LIMIT;
        if old_small && new_small && old_size == new_size {
            return offset;
        }
        if !old_small && !new_small {
            if let Some(total) = new_size.checked_add(HEADER) {
                if self.resize_in_place(offset - HEADER, total) {
                    return offset;
                }
            }
        }
        let moved = self.alloc(new_size);
        if moved != 0 {
            let count = if old_size < new_size { old_size } else { new_size };
            // SAFETY: both ranges lie inside the memory and belong to distinct blocks.
            unsafe {
                core::ptr::copy_nonoverlapping(self.ptr(offset), self.ptr(moved), count as usize);
            }
            self.free(offset, old_size);
        }
        moved
    }

    // ---- TLSF ------------------------------------------------------------------------

    fn alloc_large(&mut self, size: u32) -> u32 {
        let total = match size.checked_add(HEADER) {
            Some(total) => total,
            None => return 0,
        };
        let block = self.find_or_make(total);
        if block == 0 {
            return 0;
        }
        self.remove(block);
        self.set_free(block, false);
        self.split(block, total);
        self.write(block + 8, block ^ LARGE_TAG);
        block + HEADER
    }

    /// A free block of at least `total` bytes: from the lists, else after returning empty
    /// slabs, else after growing the memory; 0 if there is none.
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
        if !self.grow(total) {
            return 0;
        }
        self.find(total)
    }

    /// Whether a live TLSF block obtained for `size` bytes starts at `offset` (see the module
    /// notes for the checks).
    fn check_large(&self, offset: u32, size: u32) -> u32 {
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
        let total = match size.checked_add(HEADER) {
            Some(total) => total,
            None => return FOREIGN,
        };
        if self.read(block + 8) != block ^ LARGE_TAG || block_size < total || block_size - total >= MIN_BLOCK {
            return FOREIGN;
        }
        OK
    }

    /// Marks `block` free, merges it with free neighbours and files it.
    pub(crate) fn release(&mut self, mut block: u32) {
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
    fn resize_in_place(&mut self, block: u32, total: u32) -> bool {
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
    /// Rare paths (this, `init`, `new_slab`, `return_empty_slabs`) are kept out of line: the
    /// module is embedded in apps' bundles, and inlined copies of them only make it bigger.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, total: u32) -> bool {
        let tail = self.prev_phys(self.end);
        let tail_free = if self.is_free(tail) { self.size(tail) as u64 } else { 0 };
        let wanted = (total as u64).saturating_sub(tail_free);
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

    // ---- Memory access -----------------------------------------------------------------

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

    fn set_size(&mut self, block: u32, size: u32) {
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
                let (fl, sl) = mapping(size / GRANULE);
                assert!(self.sl_bitmap[fl] & (1 << sl) != 0, "list bit for {}", block);
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
