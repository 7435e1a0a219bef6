//! A futex-style mutex in shared memory that records its holder, waits a bounded time, and
//! can be poisoned.
//!
//! The lock word is 0 when free, else the holder's id shifted left by one with bit 0 set when
//! other threads may be waiting. Waiting and waking are left to the embedder: a thread that may
//! block (a Web Worker, any Node thread) sleeps on the word; the browser main thread may not, so
//! its wait returns at once and it spins. Critical sections are short: no copy of a block's
//! bytes happens under the lock, only bookkeeping (and growing the memory).
//!
//! A wasm trap unwinds nothing, and `worker.terminate()` stops a thread wherever it is: a
//! thread that dies holding the lock would leave every other thread waiting forever. So no wait
//! is unbounded. A waiter that sees the same holder and no release at all for
//! `timeout_ms` gives up and reports the holder: the caller poisons the lock. Poisoned
//! (`POISONED`), `lock` fails at once in every thread, and the pool reports itself unusable.
//! Every transition is a compare-exchange, so that no thread can overwrite the poison; only
//! the holder taken for dead can lift it, should it come back (`revive`, see pool.rs). The
//! embedder also poisons when a call traps, for good.

use core::sync::atomic::{AtomicU32, Ordering};

const FREE: u32 = 0;
const WAITERS: u32 = 1;
pub const POISONED: u32 = u32::MAX;
/// `lock` took the lock.
pub const TAKEN: u32 = 0;
/// `lock` found the lock poisoned. (Other results name a holder that made no progress.)
pub const REFUSED: u32 = u32::MAX;
const SPINS: u32 = 10000;

/// How a thread sleeps on the lock word, wakes sleepers, and tells the time.
pub trait Parking {
    /// Sleeps while `*word == expected` (may return early; returns at once where a thread
    /// may not block).
    fn wait(word: &AtomicU32, expected: u32);
    /// Wakes one thread sleeping on `word`.
    fn wake(word: &AtomicU32);
    /// Milliseconds on a monotonic clock.
    fn now_ms() -> f64;
}

/// On a cache line of its own: it changes hands often, and nothing else should move with it.
#[repr(C, align(64))]
pub struct Lock {
    word: AtomicU32,
}

impl Lock {
    pub const fn new() -> Self {
        Lock { word: AtomicU32::new(FREE) }
    }

    /// Takes the lock for holder `id` (1 to 2^31 - 2): `TAKEN`, or `REFUSED` if the lock is
    /// poisoned, or the id of a holder that kept it for `timeout_ms` without anyone else taking
    /// it. (Scalars only: the module has no stack for returning anything larger.)
    #[inline]
    pub fn lock<P: Parking>(&self, id: u32, timeout_ms: u32) -> u32 {
        if self.cas(FREE, id << 1, Ordering::Acquire) {
            return TAKEN;
        }
        self.lock_contended::<P>(id, timeout_ms)
    }

    /// `lock` when the lock was not free: spins a little, then parks, watching the holder.
    /// Out of line, so that each caller carries only the fast path.
    #[cold]
    #[inline(never)]
    fn lock_contended<P: Parking>(&self, id: u32, timeout_ms: u32) -> u32 {
        let mine = id << 1;
        for _ in 0..SPINS {
            core::hint::spin_loop();
            match self.word.load(Ordering::Relaxed) {
                FREE if self.cas(FREE, mine, Ordering::Acquire) => return TAKEN,
                POISONED => return REFUSED,
                _ => {}
            }
        }
        // The word as this waiter left it (with `WAITERS` set), and since when. Any release
        // changes it (to FREE, or to a holder without `WAITERS`), even if the same holder takes
        // the lock again at once; a holder that died leaves it as it is for good.
        let mut seen = FREE;
        let mut since = 0.0;
        loop {
            let word = self.word.load(Ordering::Relaxed);
            match word {
                POISONED => {
                    // Pass the wake-up on, so that every sleeper learns of the poison.
                    P::wake(&self.word);
                    return REFUSED;
                }
                FREE => {
                    // Taken as contended: there may be other waiters to wake on unlock.
                    if self.cas(FREE, mine | WAITERS, Ordering::Acquire) {
                        return TAKEN;
                    }
                    continue;
                }
                _ => {}
            }
            if word != seen {
                seen = word | WAITERS;
                since = P::now_ms();
            } else if P::now_ms() - since >= timeout_ms as f64 {
                return word >> 1;
            }
            if word & WAITERS == 0 && !self.cas(word, word | WAITERS, Ordering::Relaxed) {
                continue;
            }
            P::wait(&self.word, word | WAITERS);
        }
    }

    /// Releases the lock held by `id`; false if it was poisoned meanwhile (it stays poisoned).
    #[inline]
    pub fn unlock<P: Parking>(&self, id: u32) -> bool {
        let mine = id << 1;
        if self.cas(mine, FREE, Ordering::Release) {
            return true;
        }
        if self.cas(mine | WAITERS, FREE, Ordering::Release) {
            P::wake(&self.word);
            return true;
        }
        false
    }

    /// Makes a poisoned lock free again: for a holder that was taken for dead but only stalled
    /// (see pool.rs), which alone had the lock all along.
    pub fn revive(&self) {
        let _ = self.cas(POISONED, FREE, Ordering::Release);
    }

    /// Makes the lock unusable, whoever holds it, and wakes a sleeper (which wakes the next,
    /// and so on).
    pub fn poison<P: Parking>(&self) {
        self.word.store(POISONED, Ordering::Release);
        P::wake(&self.word);
    }

    #[inline]
    fn cas(&self, from: u32, to: u32, success: Ordering) -> bool {
        self.word.compare_exchange(from, to, success, Ordering::Relaxed).is_ok()
    }
}
