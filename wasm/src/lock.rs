//! A futex-style mutex in shared memory (Drepper's three-state mutex).
//!
//! The lock word is 0 when free, 1 when held, and 2 when held with possible waiters. Waiting
//! and waking are left to the embedder: a thread that may block (a Web Worker, any Node thread)
//! sleeps on the word; the browser main thread may not, so its wait returns at once and it
//! spins. Critical sections are a few hundred instructions, so spinning is brief.

use core::sync::atomic::{AtomicU32, Ordering};

const FREE: u32 = 0;
const HELD: u32 = 1;
const CONTENDED: u32 = 2;
const SPINS: u32 = 100;

/// How a thread sleeps on the lock word and how it wakes sleepers.
pub trait Parking {
    /// Sleeps while `*word == expected` (may return early).
    fn wait(word: &AtomicU32, expected: u32);
    /// Wakes one thread sleeping on `word`.
    fn wake(word: &AtomicU32);
}

#[repr(C)]
pub struct Lock {
    word: AtomicU32,
}

impl Lock {
    pub const fn new() -> Self {
        Lock { word: AtomicU32::new(FREE) }
    }

    pub fn lock<P: Parking>(&self) {
        if self.try_take() {
            return;
        }
        for _ in 0..SPINS {
            core::hint::spin_loop();
            if self.word.load(Ordering::Relaxed) == FREE && self.try_take() {
                return;
            }
        }
        while self.word.swap(CONTENDED, Ordering::Acquire) != FREE {
            P::wait(&self.word, CONTENDED);
        }
    }

    pub fn unlock<P: Parking>(&self) {
        if self.word.swap(FREE, Ordering::Release) == CONTENDED {
            P::wake(&self.word);
        }
    }

    fn try_take(&self) -> bool {
        self.word
            .compare_exchange(FREE, HELD, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }
}
