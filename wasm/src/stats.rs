//! The pool's statistics, global across threads and exact, without a cache line that every
//! allocation of every thread writes (which halved the speed of two threads allocating).
//!
//! Bytes allocated, S, is the sum of every thread's balance. Its peak needs one order of all
//! changes, which per-thread counters cannot give, so threads take *headroom* instead:
//!
//! - `reserved` R is the sum over threads of balance + headroom (threads without a cache slot
//!   count their balance alone). So S <= R always.
//! - A thread with headroom h allocates s <= h by moving s from its headroom to its balance:
//!   a compare-and-swap on its own account, on its own cache line. R does not change.
//! - Headroom is only granted out of the slack below the peak M: R <= M holds, so S <= M:
//!   nothing a thread does with its headroom can make a new peak.
//! - A thread that needs more than its headroom and finds no slack *freezes* every account
//!   (under the pool's lock): their headroom goes back (R -= h), after which R = S exactly and
//!   every change goes to R itself. M is raised only then, under the lock, to an exact R.
//!   Frozen threads change R by compare-and-swap as long as it stays <= M, and go to the lock
//!   to go past it. A frozen thread whose frees leave slack thaws, taking headroom again.
//!
//! So every value M takes was a value of S, and S never passes M unseen. `bytes_allocated`
//! is R minus the headroom held; `num_allocations` sums per-account counts. A thread's own
//! account is written by it alone, but for freezing (under the lock) and the race of a slot
//! given away mid-call (cache.rs), which compare-and-swap keeps exact.

use core::sync::atomic::{AtomicU64, Ordering};

/// Which statistic `Stats::read` gives.
#[derive(Clone, Copy)]
pub enum Stat {
    BytesAllocated,
    MaxMemory,
    NumAllocations,
}

/// An account word without this bit is frozen: no headroom, its changes go to `reserved`.
/// (Frozen is 0, so that the pool's statics are all zeros and cost the module no bytes.)
const THAWED: u64 = 1 << 63;
/// Headroom above this goes back to `reserved` on a free (a thread freeing what others
/// allocated would otherwise pile it up).
const MOST_HEADROOM: u64 = 1 << 30;
/// Slack below the peak that makes a frozen thread thaw.
const THAW_SLACK: u64 = 256;

/// A thread cache's share of the statistics, on its cache line.
#[repr(C)]
pub struct Account {
    /// 0 (frozen), or `THAWED` with the headroom in bytes.
    word: AtomicU64,
    allocations: AtomicU64,
}

impl Account {
    pub const fn new() -> Self {
        Account { word: AtomicU64::new(0), allocations: AtomicU64::new(0) }
    }

    /// The headroom, or `None` if frozen (for tests).
    #[cfg(test)]
    pub fn headroom(&self) -> Option<u64> {
        let word = self.word.load(Ordering::Acquire);
        if word & THAWED != 0 {
            Some(word & !THAWED)
        } else {
            None
        }
    }
}

#[repr(C, align(64))]
pub struct Stats {
    reserved: AtomicU64,
    peak: AtomicU64,
    /// Allocations of threads without an account.
    allocations: AtomicU64,
}

/// What a lock-free step of `Stats` left to do under the pool's lock.
pub const DONE: u32 = 0;
/// Allocating needs headroom or a new peak: call `allocate_locked`.
pub const NEEDS_LOCK: u32 = 1;
/// A frozen account may thaw: call `thaw` (optional).
pub const MAY_THAW: u32 = 2;

impl Stats {
    pub const fn new() -> Self {
        Stats { reserved: AtomicU64::new(0), peak: AtomicU64::new(0), allocations: AtomicU64::new(0) }
    }

    /// A statistic now, `accounts` being every thread cache's.
    pub fn read<'a>(&self, which: Stat, accounts: impl Iterator<Item = &'a Account>) -> u64 {
        match which {
            Stat::MaxMemory => self.peak.load(Ordering::Acquire),
            Stat::NumAllocations => {
                let mut total = self.allocations.load(Ordering::Relaxed);
                for account in accounts {
                    total += account.allocations.load(Ordering::Relaxed);
                }
                total
            }
            Stat::BytesAllocated => {
                let mut total = self.reserved.load(Ordering::Acquire);
                for account in accounts {
                    total = total.wrapping_sub(account.word.load(Ordering::Acquire) & !THAWED);
                }
                total
            }
        }
    }

    /// Records an allocation of `size` bytes without the lock if it can: `DONE` or `NEEDS_LOCK`.
    #[inline]
    pub fn allocate(&self, account: Option<&Account>, size: u32) -> u32 {
        let size = size as u64;
        if let Some(account) = account {
            let mut word = account.word.load(Ordering::Relaxed);
            while word & THAWED != 0 && word & !THAWED >= size {
                match account.word.compare_exchange_weak(word, word - size, Ordering::AcqRel, Ordering::Relaxed) {
                    Ok(_) => return self.counted(Some(account)),
                    Err(now) => word = now,
                }
            }
            if word & THAWED != 0 {
                return NEEDS_LOCK;
            }
        }
        // Frozen: straight to `reserved`, as long as that makes no new peak.
        let peak = self.peak.load(Ordering::Acquire);
        let mut reserved = self.reserved.load(Ordering::Relaxed);
        while reserved + size <= peak {
            match self.reserved.compare_exchange_weak(reserved, reserved + size, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return self.counted(account),
                Err(now) => reserved = now,
            }
        }
        NEEDS_LOCK
    }

    /// Under the pool's lock, after `allocate` said `NEEDS_LOCK`: grants headroom from the
    /// slack below the peak (taking unused headroom back from other accounts if the slack is
    /// short), or, where there is not enough, freezes every account and raises the peak
    /// exactly. `accounts` is every thread cache's, `account` among them.
    #[cold]
    #[inline(never)]
    pub fn allocate_locked<'a>(&self, account: Option<&Account>, size: u32, accounts: impl Iterator<Item = &'a Account> + Clone) {
        let size = size as u64;
        if let Some(account) = account {
            let word = account.word.load(Ordering::Acquire);
            if word & THAWED != 0 {
                let need = size.saturating_sub(word & !THAWED);
                let mut slack = self.peak.load(Ordering::Acquire).saturating_sub(self.reserved.load(Ordering::Acquire));
                for other in accounts.clone() {
                    if slack >= need {
                        break;
                    }
                    if !core::ptr::eq(other, account) {
                        slack += self.take_headroom(other, need - slack);
                    }
                }
                if slack >= need {
                    // At least what is needed, and half the rest (others may need it).
                    let grant = need + (slack - need) / 2;
                    self.reserved.fetch_add(grant, Ordering::AcqRel);
                    let mut word = account.word.load(Ordering::Acquire);
                    // Another thread on the same slot (cache.rs) may have used some meanwhile.
                    while word & THAWED != 0 && (word & !THAWED) + grant >= size {
                        match account.word.compare_exchange_weak(word, word + grant - size, Ordering::AcqRel, Ordering::Acquire) {
                            Ok(_) => {
                                self.counted(Some(account));
                                return;
                            }
                            Err(now) => word = now,
                        }
                    }
                    self.reserved.fetch_sub(grant, Ordering::AcqRel);
                }
            }
        }
        for other in accounts {
            let word = other.word.swap(0, Ordering::AcqRel);
            self.reserved.fetch_sub(word & !THAWED, Ordering::AcqRel);
        }
        // Every account frozen: `reserved` is bytes allocated, exactly, and only lock holders
        // take it past the peak.
        let now = self.reserved.fetch_add(size, Ordering::AcqRel) + size;
        if now > self.peak.load(Ordering::Relaxed) {
            self.peak.store(now, Ordering::Release);
        }
        self.counted(account);
    }

    /// Under the lock: takes up to `most` bytes of `account`'s headroom back to the slack.
    fn take_headroom(&self, account: &Account, most: u64) -> u64 {
        let mut word = account.word.load(Ordering::Acquire);
        while word & THAWED != 0 && word & !THAWED > 0 {
            let taken = core::cmp::min(word & !THAWED, most);
            match account.word.compare_exchange_weak(word, word - taken, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => {
                    self.reserved.fetch_sub(taken, Ordering::AcqRel);
                    return taken;
                }
                Err(now) => word = now,
            }
        }
        0
    }

    /// Records a free of `size` bytes: `DONE`, or `MAY_THAW` if the account is frozen and
    /// there is slack for it to thaw.
    #[inline]
    pub fn free(&self, account: Option<&Account>, size: u32) -> u32 {
        let size = size as u64;
        if let Some(account) = account {
            let mut word = account.word.load(Ordering::Relaxed);
            while word & THAWED != 0 && (word & !THAWED) + size <= MOST_HEADROOM {
                match account.word.compare_exchange_weak(word, word + size, Ordering::AcqRel, Ordering::Relaxed) {
                    Ok(_) => return DONE,
                    Err(now) => word = now,
                }
            }
        }
        let now = self.reserved.fetch_sub(size, Ordering::AcqRel) - size;
        match account {
            Some(account) if account.word.load(Ordering::Relaxed) & THAWED == 0 => {
                if self.peak.load(Ordering::Relaxed).saturating_sub(now) >= THAW_SLACK {
                    MAY_THAW
                } else {
                    DONE
                }
            }
            _ => DONE,
        }
    }

    /// Under the pool's lock: gives frozen `account` headroom from the slack, if there is some.
    #[cold]
    #[inline(never)]
    pub fn thaw(&self, account: &Account) {
        let slack = self.peak.load(Ordering::Acquire).saturating_sub(self.reserved.load(Ordering::Acquire));
        if slack >= THAW_SLACK && account.word.load(Ordering::Acquire) & THAWED == 0 {
            let grant = slack / 2;
            self.reserved.fetch_add(grant, Ordering::AcqRel);
            account.word.store(THAWED | grant, Ordering::Release);
        }
    }

    /// Under the pool's lock: records a reallocation from `old_size` to `new_size` bytes. As
    /// Arrow's `DidReallocateBytes` (and the TypeScript pools), growth is an allocation of the
    /// difference; shrinking frees the difference and counts no allocation.
    #[cold]
    #[inline(never)]
    pub fn reallocated<'a>(&self, old_size: u32, new_size: u32, accounts: impl Iterator<Item = &'a Account> + Clone) {
        if new_size > old_size {
            let grown = new_size - old_size;
            if self.allocate(None, grown) == NEEDS_LOCK {
                self.allocate_locked(None, grown, accounts);
            }
        } else {
            self.free(None, old_size - new_size);
        }
    }

    #[inline]
    fn counted(&self, account: Option<&Account>) -> u32 {
        match account {
            Some(account) => account.allocations.fetch_add(1, Ordering::Relaxed),
            None => self.allocations.fetch_add(1, Ordering::Relaxed),
        };
        DONE
    }
}
