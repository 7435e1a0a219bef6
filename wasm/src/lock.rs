//! A futex-style mutex in shared memory (Drepper's three-state mutex), which can be poisoned.
//!
//! The lock word is 0 when free, 1 when held, and 2 when held with possible waiters. Waiting
//! and waking are left to the embedder: a thread that may block (a Web Worker, any Node thread)
//! sleeps on the word; the browser main thread may not, so its wait returns at once and it
//! spins. Critical sections are a few hundred instructions, so spinning is brief.
//!
//! A wasm trap unwinds nothing: a thread that faults while holding the lock would leave it
//! held forever and every other thread waiting. So the embedder, on seeing a trap, *poisons*
//! the word (3): poisoned is a final state, `lock` then fails at once in every thread, and the
//! pool reports itself unusable instead of hanging. Every transition is a compare-exchange so
//! that no thread can overwrite the poison.

use core::sync::atomic::{AtomicU32, Ordering};

const FREE: u32 = 0;
const HELD: u32 = 1;
const CONTENDED: u32 = 2;
const POISONED: u32 = 3;
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

    /// Takes the lock; false (without it) if the lock is poisoned.
    #[inline]
    pub fn lock<P: Parking>(&self) -> bool {
        self.try_take() || self.lock_contended::<P>()
    }

    /// `lock` when the lock was not free: spins a little, then parks. Out of line, so that
    /// each caller carries only the fast path.
    #[cold]
    #[inline(never)]
    fn lock_contended<P: Parking>(&self) -> bool {
        for _ in 0..SPINS {
            core::hint::spin_loop();
            match self.word.load(Ordering::Relaxed) {
                FREE if self.try_take() => return true,
                POISONED => return false,
                _ => {}
            }
        }
        loop {
            match self.word.load(Ordering::Relaxed) {
                POISONED => {
                    // Pass the wake-up on, so that every sleeper learns of the poison.
                    P::wake(&self.word);
                    return false;
                }
                FREE => {
                    // Taken as contended: there may be other waiters to wake on unlock.
                    if self.cas(FREE, CONTENDED, Ordering::Acquire) {
                        return true;
                    }
                }
                HELD => {
                    if self.cas(HELD, CONTENDED, Ordering::Relaxed) {
                        P::wait(&self.word, CONTENDED);
                    }
                }
                _ => P::wait(&self.word, CONTENDED),
            }
        }
    }

    pub fn unlock<P: Parking>(&self) {
        if self.cas(HELD, FREE, Ordering::Release) {
            return;
        }
        if self.cas(CONTENDED, FREE, Ordering::Release) {
            P::wake(&self.word);
        }
        // Otherwise the lock was poisoned while held: it stays poisoned.
    }

    /// Makes the lock unusable for good, whoever holds it, and wakes a sleeper (which wakes
    /// the next, and so on).
    pub fn poison<P: Parking>(&self) {
        self.word.store(POISONED, Ordering::Release);
        P::wake(&self.word);
    }

    pub fn is_poisoned(&self) -> bool {
        self.word.load(Ordering::Acquire) == POISONED
    }

    fn try_take(&self) -> bool {
        self.cas(FREE, HELD, Ordering::Acquire)
    }

    #[inline]
    fn cas(&self, from: u32, to: u32, success: Ordering) -> bool {
        self.word.compare_exchange(from, to, success, Ordering::Relaxed).is_ok()
    }
}
