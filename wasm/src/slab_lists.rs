//! Slabs' lives: made by carving an aligned `SLAB_SPAN` out of a free TLSF block (placement.rs),
//! kept on their class's list while they have a free block, and given back to TLSF when empty.
//! The header layout is in slabs.rs; all of this runs under the pool's lock.

use core::sync::atomic::Ordering;

use crate::heap::{Heap, Memory, GRANULE};
use crate::slabs::{NEXT, OWNER, PREV, USED};
use crate::states::{blocks_per_slab, states_of, word_at, SLAB_TAG, STATE_WORDS, TAG};

impl<M: Memory> Heap<M> {
    /// A new, empty slab for `class`, on the class's list; 0 if there is no room.
    #[cold]
    #[inline(never)]
    pub(crate) fn new_slab(&mut self, class: usize) -> u32 {
        let slab = self.take_slab();
        if slab == 0 {
            return 0;
        }
        let count = blocks_per_slab((class as u32 + 1) * GRANULE);
        self.write(slab + USED, 0);
        self.write(slab + OWNER, 0);
        // FREE for each block, NONE (11) for every entry past the last; published below.
        let full = (count + 15) / 16;
        // SAFETY: the state map lies in the slab's header, inside the memory.
        let states = states_of(slab);
        unsafe {
            core::ptr::write_bytes(self.ptr(states), 0, (4 * full) as usize);
            core::ptr::write_bytes(self.ptr(states + 4 * full), 0xff, (4 * (STATE_WORDS - full)) as usize);
        }
        if count % 16 != 0 {
            self.write(states + 4 * (full - 1), u32::MAX << (2 * (count % 16)));
        }
        let base = self.base();
        // The tag and states are in place before the map says this is a slab.
        word_at(base, slab + TAG).store(SLAB_TAG | class as u32, Ordering::Release);
        self.map().set(slab, true);
        self.link_slab(class, slab);
        self.empty_slabs += 1;
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
                if self.read(slab + USED) == 0 {
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
        // Off the map before the tag goes, so lock-free readers never trust a stale tag.
        self.map().set(slab, false);
        word_at(self.base(), slab + TAG).store(0, Ordering::Release);
        self.release(slab);
    }

    pub(crate) fn link_slab(&mut self, class: usize, slab: u32) {
        let head = self.partial[class];
        self.write(slab + NEXT, head);
        self.write(slab + PREV, 0);
        if head != 0 {
            self.write(head + PREV, slab);
        }
        self.partial[class] = slab;
    }

    pub(crate) fn unlink_slab(&mut self, class: usize, slab: u32) {
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
