//! Statistics across threads stay exact with headroom: the peak is the most ever allocated at
//! once, however the threads' allocations interleave.

use std::sync::{Arc, Barrier};

use super::support::new_pool;
use crate::heap::OK;
use crate::stats::Stat;

#[test]
fn the_peak_is_exact_across_threads_in_every_phase() {
    let pool = new_pool(64 << 20, 64 << 20);
    let barrier = Arc::new(Barrier::new(3));
    let phase = |barrier: &Barrier| {
        barrier.wait();
        barrier.wait();
    };
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let t = pool.attach(i);
                let take = |n: usize| (0..n).map(|_| pool.alloc(t, 1024)).collect::<Vec<u32>>();
                let give = |blocks: Vec<u32>| blocks.into_iter().for_each(|b| assert_eq!(pool.free(t, b, 1024), OK));
                // 1: both hold 10 KiB at once.
                let held = take(10);
                phase(&barrier);
                give(held);
                phase(&barrier);
                // 2: one thread churns one block at a time, far below the peak (headroom).
                if i == 0 {
                    for _ in 0..100_000 {
                        let block = pool.alloc(t, 1024);
                        assert_eq!(pool.free(t, block, 1024), OK);
                    }
                }
                phase(&barrier);
                // 3: both hold 15 KiB at once: a new peak, exactly.
                let held = take(15);
                phase(&barrier);
                give(held);
                phase(&barrier);
            })
        })
        .collect();
    let check = |bytes: u64, peak: u64| {
        barrier.wait();
        assert_eq!(pool.stat(Stat::BytesAllocated), bytes);
        assert_eq!(pool.stat(Stat::MaxMemory), peak);
        barrier.wait();
    };
    check(20 << 10, 20 << 10);
    check(0, 20 << 10);
    check(0, 20 << 10);
    check(30 << 10, 30 << 10);
    check(0, 30 << 10);
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(pool.stat(Stat::NumAllocations), 20 + 100_000 + 30);
}

#[test]
fn random_traffic_from_threads_keeps_the_statistics_exact_and_the_peak_bounded() {
    const STEPS: u32 = 100_000;
    let pool = new_pool(256 << 20, 256 << 20);
    let handles: Vec<_> = (0..3u64)
        .map(|i| {
            std::thread::spawn(move || {
                let t = if i == 2 { 0 } else { pool.attach(i as u32) };
                let mut rng = super::support::Rng(0x5eed + i);
                let mut live: Vec<(u32, u32)> = Vec::new();
                let mut most = 0u64;
                let mut count = 0u64;
                for _ in 0..STEPS {
                    if rng.below(2) == 0 || live.is_empty() {
                        let size = if rng.below(8) == 0 { rng.size().max(64) } else { 64 * (1 + rng.below(16) as u32) };
                        live.push((pool.alloc(t, size), size));
                        count += 1;
                    } else {
                        let (block, size) = live.swap_remove(rng.below(live.len() as u64) as usize);
                        assert_eq!(pool.free(t, block, size), OK);
                    }
                    most = most.max(live.iter().map(|&(_, s)| s as u64).sum());
                    // What this thread holds alone is a lower bound of the peak.
                    assert!(pool.stat(Stat::MaxMemory) >= live.iter().map(|&(_, s)| s as u64).sum());
                }
                for (block, size) in live {
                    assert_eq!(pool.free(t, block, size), OK);
                }
                (most, count)
            })
        })
        .collect();
    let results: Vec<(u64, u64)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    assert_eq!(pool.stat(Stat::NumAllocations), results.iter().map(|r| r.1).sum::<u64>());
    // The peak is at least each thread's own most and at most their sum.
    let peak = pool.stat(Stat::MaxMemory);
    assert!(results.iter().all(|r| peak >= r.0));
    assert!(peak <= results.iter().map(|r| r.0).sum::<u64>());
}

#[test]
fn a_reallocation_counts_as_an_allocation_only_when_it_grows() {
    // As Arrow's MemoryPoolStats::DidReallocateBytes, and the TypeScript pools: growth is an
    // allocation; shrinking or keeping the size frees bytes (or none) and counts nothing.
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let counted = |expected: u64, bytes: u64| {
        assert_eq!(pool.stat(Stat::NumAllocations), expected);
        assert_eq!(pool.stat(Stat::BytesAllocated), bytes);
    };
    // A small block: shrinking moves it to a smaller slab block, by a copy.
    let small = pool.alloc(t, 4096);
    counted(1, 4096);
    let small = pool.realloc(t, small, 4096, 64);
    counted(1, 64);
    let small = pool.realloc(t, small, 64, 64);
    counted(1, 64);
    let small = pool.realloc(t, small, 64, 8192);
    counted(2, 8192);
    // A large block: shrinking and growing in place.
    let large = pool.alloc(t, 1 << 20);
    counted(3, 8192 + (1 << 20));
    let large = pool.realloc(t, large, 1 << 20, 200 * 1024);
    counted(3, 8192 + 200 * 1024);
    let large = pool.realloc(t, large, 200 * 1024, 2 << 20);
    counted(4, 8192 + (2 << 20));
    // To nothing and back: the zero-size area.
    let zero = pool.realloc(t, small, 8192, 0);
    counted(4, 2 << 20);
    let small = pool.realloc(t, zero, 0, 128);
    counted(5, 128 + (2 << 20));
    assert_eq!(pool.stat(Stat::MaxMemory), 8192 + (2 << 20));
    assert_eq!(pool.free(t, small, 128), OK);
    assert_eq!(pool.free(t, large, 2 << 20), OK);
    counted(5, 0);
}
