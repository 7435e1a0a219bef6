//! No thread's death may hang another: a holder that makes no progress for the lock timeout
//! poisons the pool, naming it; a lock that keeps changing hands never does.

use std::time::{Duration, Instant};

use super::support::{bytes, pool_with_timeout};
use crate::heap::{OK, POISONED};
use crate::pool::DEAD_HOLDER;
use crate::stats::Stat;

#[test]
fn a_thread_that_died_holding_the_lock_poisons_the_pool_within_the_timeout_naming_it() {
    let pool = pool_with_timeout(16 << 20, 16 << 20, 1000);
    let survivor = pool.attach(0);
    let doomed = pool.attach(0);
    let kept = pool.alloc(survivor, 100_032);
    let small = pool.alloc(survivor, 64);
    assert_eq!(pool.free(survivor, small, 64), OK, "a block in the survivor's cache");
    // The doomed thread takes the lock and never gives it back, as `worker.terminate()` in
    // the middle of a call leaves it.
    std::thread::spawn(move || assert_ne!(pool.hold_lock(doomed), 0)).join().unwrap();

    let start = Instant::now();
    assert_eq!(pool.alloc(survivor, 100_032), POISONED, "large blocks need the lock");
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(1000), "gave up after {:?}", waited);
    assert!(waited < Duration::from_millis(5000), "waited {:?}", waited);
    // The holder is named: slot 1 (the second to attach) is lock holder id 2.
    assert_eq!(pool.poison_cause(), DEAD_HOLDER | 2 << 8);

    // Every later call fails at once, cached or not, in every thread.
    let start = Instant::now();
    assert_eq!(pool.alloc(survivor, 64), POISONED);
    assert_eq!(pool.free(survivor, kept, 100_032), POISONED);
    assert_eq!(pool.alloc(0, 64), POISONED);
    assert_eq!(std::thread::spawn(move || pool.attach(0)).join().unwrap(), POISONED);
    assert!(start.elapsed() < Duration::from_millis(500), "no more waiting for the timeout");
    assert_eq!(pool.stat(Stat::BytesAllocated), 100_032, "statistics stay readable");
}

#[test]
fn a_thread_that_died_outside_the_lock_leaves_the_pool_usable() {
    let pool = pool_with_timeout(16 << 20, 16 << 20, 5000);
    let doomed = pool.attach(0);
    // It allocated, cached blocks, and stopped (a thread dies without a word).
    let held = pool.alloc(doomed, 256);
    for _ in 0..10 {
        let block = pool.alloc(doomed, 128);
        assert_eq!(pool.free(doomed, block, 128), OK);
    }
    let survivor = pool.attach(0);
    let start = Instant::now();
    let block = pool.alloc(survivor, 5056);
    bytes(pool, block, 5056).fill(1);
    assert_eq!(pool.free(survivor, block, 5056), OK);
    assert!(start.elapsed() < Duration::from_millis(2500), "no waiting for the timeout");
    assert_eq!(pool.stat(Stat::BytesAllocated), 256, "the dead thread's live block stays counted");
    assert_eq!(pool.poison_cause(), 0);
    let _ = held;
}

#[test]
fn a_lock_that_keeps_changing_hands_is_never_taken_for_a_dead_holder() {
    // A timeout well below the run's length and threads that take the lock all the time:
    // waiters see progress (the lock changes hands) and go on waiting, however long they wait
    // in all. (Not shorter: on a loaded machine a holder may be preempted for tens of ms.)
    let pool = pool_with_timeout(256 << 20, 256 << 20, 300);
    let until = Instant::now() + Duration::from_millis(1500);
    let handles: Vec<_> = (0..3)
        .map(|i| {
            std::thread::spawn(move || {
                let t = if i == 0 { 0 } else { pool.attach(i) };
                let mut calls = 0u64;
                while Instant::now() < until {
                    let block = pool.alloc(t, 64 * 1024);
                    assert_ne!(block, POISONED, "poisoned after {} calls", calls);
                    assert_eq!(pool.free(t, block, 64 * 1024), OK);
                    calls += 1;
                }
                calls
            })
        })
        .collect();
    for handle in handles {
        assert!(handle.join().unwrap() > 0);
    }
    assert_eq!(pool.poison_cause(), 0);
}

#[test]
fn a_holder_taken_for_dead_that_comes_back_lifts_the_poison() {
    // Stalled, not dead: a debugger, a frozen page, a stopped machine.
    let pool = pool_with_timeout(16 << 20, 16 << 20, 50);
    let stalled = pool.attach(0);
    let other = pool.attach(0);
    let id = pool.hold_lock(stalled);
    assert_eq!(pool.alloc(other, 100_032), POISONED, "the wait ends");
    assert_eq!(pool.poison_cause(), DEAD_HOLDER | id << 8);
    assert_eq!(pool.alloc(other, 64), POISONED, "and every call fails at once");
    pool.release_lock(id);
    assert_eq!(pool.poison_cause(), 0);
    let block = pool.alloc(other, 100_032);
    assert!(block >= 64);
    assert_eq!(pool.free(other, block, 100_032), OK);
    // A fault poisons for good: nobody lifts it.
    pool.poison();
    assert_eq!(pool.alloc(other, 64), POISONED);
}
