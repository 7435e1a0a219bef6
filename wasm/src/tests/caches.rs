//! Thread caches: small blocks without the lock, checked frees across threads, what a dead
//! thread's cache becomes, slots given to new threads.

use super::support::{churn, heap_check, new_pool, TestPool};
use crate::cache::{SLOTS, STALE};
use crate::heap::{DOUBLE_FREE, FOREIGN, OK, RETIRED};
use crate::stats::Stat;

/// Not a test: how alloc + free pairs of small blocks scale from 1 thread to 2 here
/// (`cargo test --release -- --ignored --nocapture scaling`).
#[repr(C)]
struct Timespec {
    seconds: i64,
    nanos: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

/// This thread's CPU time in nanoseconds: unlike wall time, other processes on a loaded
/// machine do not inflate it, while stalls on cache lines shared with other threads do.
fn thread_cpu_ns() -> f64 {
    let mut time = Timespec { seconds: 0, nanos: 0 };
    // SAFETY: CLOCK_THREAD_CPUTIME_ID (3) on Linux; the struct matches timespec on 64-bit.
    unsafe { clock_gettime(3, &mut time) };
    time.seconds as f64 * 1e9 + time.nanos as f64
}

#[test]
#[ignore]
fn scaling_of_small_blocks() {
    /// CPU nanoseconds per alloc + free pair, summed over the threads.
    fn run(pool: &'static TestPool, threads: u32, steps: u32, cached: bool) -> f64 {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                std::thread::spawn(move || {
                    let t = if cached { pool.attach(i) } else { 0 };
                    let start = thread_cpu_ns();
                    let mut sink = 0u64;
                    for s in 0..steps / threads {
                        let size = 64 * (1 + (s % 16));
                        let block = pool.alloc(t, size);
                        sink += block as u64;
                        pool.free(t, block, size);
                    }
                    let cpu = thread_cpu_ns() - start + (sink & 1) as f64;
                    if cached {
                        if i == 0 {
                            println!("  headrooms at the end: {:?}", &pool.headrooms());
                        }
                        pool.detach(t);
                    }
                    cpu
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum::<f64>() / steps as f64
    }
    let pool = new_pool(64 << 20, 64 << 20);
    for cached in [true, false] {
        for _ in 0..3 {
            let before = pool.critical_sections();
            let one = run(pool, 1, 4_000_000, cached);
            let two = run(pool, 2, 4_000_000, cached);
            println!(
                "cached {}: CPU per pair: 1 thread {:.1} ns, 2 threads {:.1} ns; lock taken {} times",
                cached,
                one,
                two,
                pool.critical_sections().wrapping_sub(before)
            );
        }
    }
}

#[test]
fn small_blocks_of_a_thread_with_a_cache_take_no_lock_once_warm() {
    let pool = new_pool(16 << 20, 16 << 20);
    let t = pool.attach(0);
    let warm = pool.alloc(t, 192);
    assert_eq!(pool.free(t, warm, 192), OK);
    let before = pool.critical_sections();
    for _ in 0..10_000 {
        let block = pool.alloc(t, 192);
        assert_eq!(pool.free(t, block, 192), OK);
    }
    assert_eq!(pool.critical_sections(), before);
    assert_eq!(pool.stat(Stat::NumAllocations), 10_001);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    assert_eq!(pool.stat(Stat::MaxMemory), 192);
}

#[test]
fn a_double_free_is_reported_whichever_thread_freed_first_and_nothing_is_handed_out_twice() {
    let pool = new_pool(16 << 20, 16 << 20);
    let (a, b) = (pool.attach(0), pool.attach(0));
    let block = pool.alloc(a, 128);
    assert_eq!(pool.free(a, block, 128), OK, "now in a's cache");
    assert_eq!(std::thread::spawn(move || pool.free(b, block, 128)).join().unwrap(), DOUBLE_FREE);
    assert_eq!(pool.free(0, block, 128), DOUBLE_FREE, "and without a cache");
    assert_eq!(pool.realloc(0, block, 128, 256), DOUBLE_FREE);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    // Freed into b's cache, then by a: reported too.
    let other = pool.alloc(a, 128);
    assert_eq!(pool.free(b, other, 128), OK);
    assert_eq!(pool.free(a, other, 128), DOUBLE_FREE);
    // Foreign addresses and sizes through a cache change nothing.
    let live = pool.alloc(a, 256);
    for (offset, size) in [(live + 64, 256), (live, 128), (live, 320), (100, 64)] {
        assert_eq!(pool.free(a, offset, size), FOREIGN, "free({}, {})", offset, size);
    }
    // Every block is handed out once: a and b allocate what their caches hold, all distinct.
    let mut seen: Vec<u32> = (0..40).map(|i| pool.alloc(if i % 2 == 0 { a } else { b }, 128)).collect();
    seen.push(live);
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 41);
    heap_check(pool);
}

#[test]
fn what_a_dead_threads_cache_held_comes_back_under_memory_pressure() {
    let pool = new_pool(8 << 20, 8 << 20);
    let dead = pool.attach(0);
    // It filled its caches of every class and died.
    for size in (64..=1024).step_by(64) {
        let blocks: Vec<u32> = (0..16).map(|_| pool.alloc(dead, size)).collect();
        for block in blocks {
            assert_eq!(pool.free(dead, block, size), OK);
        }
    }
    assert_eq!(pool.stat(Stat::BytesAllocated), 0, "cached blocks are not allocated");
    // Another thread takes everything: the cached blocks' slabs must come back, so that as
    // much fits as in a pool nobody used.
    let fresh = new_pool(8 << 20, 8 << 20);
    let taken = |pool: &'static TestPool| {
        let t = pool.attach(0);
        let mut count = 0;
        while pool.alloc(t, 256 * 1024) >= 64 {
            count += 1;
        }
        count
    };
    assert_eq!(taken(pool), taken(fresh));
    heap_check(pool);
}

#[test]
fn release_unused_takes_back_what_every_cache_holds() {
    let pool = new_pool(16 << 20, 16 << 20);
    let t = pool.attach(0);
    let blocks: Vec<u32> = (0..16).map(|_| pool.alloc(t, 512)).collect();
    for &block in &blocks {
        assert_eq!(pool.free(t, block, 512), OK);
    }
    let free_before = heap_check(pool);
    assert_eq!(pool.release_unused(0), OK);
    assert!(heap_check(pool) >= free_before + 16 * 1024, "the slab went back to the heap");
    // The cache's entries went stale and are skipped; it refills and hands out live blocks.
    let again: Vec<u32> = (0..20).map(|_| pool.alloc(t, 512)).collect();
    assert!(again.iter().all(|&b| b >= 64));
    assert_eq!(pool.stat(Stat::BytesAllocated), 20 * 512);
    heap_check(pool);
}

#[test]
fn slots_go_to_new_threads_once_all_are_taken_and_one_is_idle() {
    let pool = new_pool(64 << 20, 64 << 20);
    let tickets: Vec<u32> = (0..SLOTS).map(|i| pool.attach(i as u32)).collect();
    assert!(tickets.iter().all(|&t| t >= 256));
    let victim = tickets[5];
    let held = pool.alloc(victim, 64);
    let cached = pool.alloc(victim, 64);
    assert_eq!(pool.free(victim, cached, 64), OK);
    // All taken and all recently active: a new thread goes without a cache.
    assert_eq!(pool.attach(99), 0);
    // The others stay busy (under the lock); the victim is idle.
    for (i, &t) in tickets.iter().enumerate() {
        if i != 5 {
            let block = pool.alloc(t, 64 * 1024);
            assert_eq!(pool.free(t, block, 64 * 1024), OK);
        }
    }
    for _ in 0..STALE {
        let block = pool.alloc(0, 64 * 1024);
        assert_eq!(pool.free(0, block, 64 * 1024), OK);
    }
    for (i, &t) in tickets.iter().enumerate() {
        if i != 5 {
            let block = pool.alloc(t, 64);
            assert_eq!(pool.free(t, block, 64), OK);
        }
    }
    let newcomer = pool.attach(99);
    assert_eq!(newcomer & 0xff, 5, "the idle slot");
    assert_eq!(pool.host_id(5), 99);
    // The old owner is told, and nothing it did is lost.
    assert_eq!(pool.alloc(victim, 64), RETIRED);
    assert_eq!(pool.free(victim, held, 64), RETIRED);
    assert_eq!(pool.free(newcomer, held, 64), OK);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    heap_check(pool);
}

#[test]
fn threads_sharing_one_ticket_never_get_the_same_block() {
    // The race a slot given away mid-call allows, made constant: two threads on one cache.
    // Entries may go stale or be lost to a sweep, but a block is never handed out twice and
    // the statistics stay exact.
    const STEPS: u32 = 200_000;
    let pool = new_pool(256 << 20, 256 << 20);
    let shared = pool.attach(0);
    let handles: Vec<_> = (0..2u64)
        .map(|i| {
            let sweep = if i == 0 { Some(50_000) } else { None };
            std::thread::spawn(move || churn(pool, shared, 0xabcdef + i * 31, STEPS, |rng| 64 * (1 + rng.below(16) as u32), sweep))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    pool.release_unused(0);
    heap_check(pool);
}

#[test]
fn four_threads_on_one_cache_are_never_told_the_pool_is_full() {
    // The race of a slot given away mid-call, four times over, on two size classes: a refill
    // under the lock that another thread on the same cache empties at once must not end in 0
    // (out of memory) while the heap has room.
    const STEPS: u32 = 100_000;
    let pool = new_pool(256 << 20, 256 << 20);
    let shared = pool.attach(0);
    let handles: Vec<_> = (0..4u64)
        .map(|i| std::thread::spawn(move || churn(pool, shared, 0x51 + i, STEPS, |rng| 64 * (1 + rng.below(2) as u32), None)))
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    pool.release_unused(0);
    heap_check(pool);
}
