//! Thread caches of large blocks (large.rs): blocks up to `CACHED_LIMIT` a thread freed come
//! back to it without the lock; frees stay checked; what caches hold comes back when memory
//! runs short, on `release_unused` and when a thread leaves.

use super::support::{assert_all_freed, bytes, churn, heap_check, new_pool, on_threads, Rng, TestPool};
use crate::cache::LARGE_BUDGET;
use crate::heap::{DOUBLE_FREE, FOREIGN, GRANULE, OK};
use crate::large::{cached, class_size, large_class, CACHED_LIMIT, LARGE_CLASSES};
use crate::placement::ALIGNED_FROM;
use crate::stats::Stat;

/// Sizes from just past the small blocks to `CACHED_LIMIT`, one of each class and its extremes.
fn large_sizes() -> Vec<u32> {
    (0..LARGE_CLASSES as u32).flat_map(|class| [class_size(class) - 192, class_size(class)]).collect()
}

#[test]
fn classes_cover_every_size_past_the_small_blocks_four_to_a_doubling() {
    let mut previous = 1024;
    for class in 0..LARGE_CLASSES as u32 {
        let size = class_size(class);
        assert!(size > previous && size % 64 == 0, "class {} of {} bytes", class, size);
        assert!(size - previous <= previous / 4, "class {} wastes more than a quarter", class);
        for asked in (previous + 64..=size).step_by(64) {
            assert_eq!(large_class(asked), class, "{} bytes", asked);
        }
        previous = size;
    }
    assert_eq!(previous, CACHED_LIMIT);
}

#[test]
fn large_blocks_a_thread_freed_come_back_to_it_without_the_lock() {
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let sizes = large_sizes();
    // Warm: the cache holds a block of each class, and the statistics' headroom (stats.rs)
    // covers the largest.
    for _ in 0..2 {
        for &size in &sizes {
            let block = pool.alloc(t, size);
            assert_eq!(pool.free(t, block, size), OK);
        }
    }
    let before = pool.critical_sections();
    for _ in 0..200 {
        for &size in &sizes {
            let block = pool.alloc(t, size);
            assert_eq!(pool.free(t, block, size), OK);
        }
    }
    assert_eq!(pool.critical_sections(), before);
    assert_eq!(pool.stat(Stat::NumAllocations), 202 * sizes.len() as u64);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    assert_eq!(pool.stat(Stat::MaxMemory), CACHED_LIMIT as u64);
    heap_check(pool);
}

#[test]
fn a_cached_large_block_is_a_double_free_from_any_thread_and_a_free_must_name_its_size() {
    let pool = new_pool(64 << 20, 64 << 20);
    let (a, b) = (pool.attach(0), pool.attach(0));
    let block = pool.alloc(a, 3008);
    assert_eq!(pool.free(a, block, 3008), OK, "now in a's cache");
    assert_eq!(pool.free(a, block, 3008), DOUBLE_FREE);
    assert_eq!(std::thread::spawn(move || pool.free(b, block, 3008)).join().unwrap(), DOUBLE_FREE);
    assert_eq!(pool.free(0, block, 3008), DOUBLE_FREE, "and without a cache");
    assert_eq!(pool.realloc(0, block, 3008, 8192), DOUBLE_FREE);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    // The same block, of the same class, for another size: a free names that size.
    let again = pool.alloc(a, 2624);
    assert_eq!(again, block, "the cached block of the class");
    for (offset, size) in [(again, 3008), (again, 3072), (again, 2560), (again + 64, 2624), (again - 64, 2688)] {
        assert_eq!(pool.free(a, offset, size), FOREIGN, "free({}, {})", offset, size);
        assert_eq!(pool.free(0, offset, size), FOREIGN, "free({}, {}) without a cache", offset, size);
    }
    assert_eq!(pool.stat(Stat::BytesAllocated), 2624);
    assert_eq!(pool.free(b, again, 2624), OK, "into b's cache");
    assert_eq!(pool.free(a, again, 2624), DOUBLE_FREE);
    // Every block is handed out once: a and b allocate what their caches hold, all distinct.
    let mut seen: Vec<u32> = (0..8).map(|i| pool.alloc(if i % 2 == 0 { a } else { b }, 2624)).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 8);
    heap_check(pool);
}

/// Fills `t`'s cache with large blocks up to its budget; returns the bytes it holds.
fn fill_cache(pool: &'static TestPool, t: u32) -> u64 {
    let mut held = 0u64;
    for &size in large_sizes().iter().rev() {
        let blocks: Vec<u32> = (0..4).map(|_| pool.alloc(t, size)).collect();
        for block in blocks {
            assert_eq!(pool.free(t, block, size), OK);
        }
        held += 4 * size as u64;
    }
    assert!(held > LARGE_BUDGET as u64, "more freed than a cache holds");
    held
}

#[test]
fn what_caches_hold_comes_back_under_memory_pressure_on_release_unused_and_detach() {
    // Memory pressure: another thread takes everything, as much as from a pool nobody used.
    let pool = new_pool(8 << 20, 8 << 20);
    fill_cache(pool, pool.attach(0));
    let taken = |pool: &'static TestPool| {
        let t = pool.attach(0);
        let mut count = 0;
        // Below ALIGNED_FROM: where the gaps in front of page-aligned blocks fall depends on
        // the layout's history (placement.rs), which is not what this counts.
        while pool.alloc(t, ALIGNED_FROM - GRANULE) >= 64 {
            count += 1;
        }
        count
    };
    assert_eq!(taken(pool), taken(new_pool(8 << 20, 8 << 20)));
    heap_check(pool);
    // release_unused, and a thread leaving: the whole heap is one free block again.
    for leave in [false, true] {
        let pool = new_pool(8 << 20, 8 << 20);
        let t = pool.attach(0);
        fill_cache(pool, t);
        let whole = pool.inspect(|heap| (heap.end - heap.start - GRANULE) as u64).unwrap();
        let held = whole - heap_check(pool);
        assert!(held > LARGE_BUDGET as u64 / 2 && held <= LARGE_BUDGET as u64 + 4096, "the cache holds {} bytes", held);
        if leave {
            pool.detach(t);
        } else {
            assert_eq!(pool.release_unused(0), OK);
        }
        assert_eq!(heap_check(pool), whole, "{}: every block came back", if leave { "detach" } else { "release_unused" });
        assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    }
}

#[test]
fn a_cache_entry_whose_block_was_swept_is_never_handed_out() {
    let pool = new_pool(8 << 20, 8 << 20);
    let t = pool.attach(0);
    let block = pool.alloc(t, 3008);
    assert_eq!(pool.free(t, block, 3008), OK);
    assert_eq!(pool.release_unused(0), OK, "the block is free space again; t's entry is stale");
    // The space is handed out to another size, and t asks for its class again.
    let other = pool.alloc(0, 2048);
    let again = pool.alloc(t, 3008);
    assert!(again + 3008 <= other || other + 2048 <= again, "{} overlaps {}", again, other);
    assert_eq!(pool.free(t, again, 3008), OK);
    assert_eq!(pool.free(0, other, 2048), OK);
    heap_check(pool);
}

#[test]
fn threads_freeing_and_sweeping_at_once_never_get_the_same_large_block() {
    // Two threads with caches of their own and two sharing one (the race a slot given away
    // mid-call allows), sizes across the small and large classes, and a sweep now and then:
    // entries go stale, but a block is never handed out twice and the statistics stay exact.
    const STEPS: u32 = 60_000;
    let pool = new_pool(512 << 20, 512 << 20);
    let shared = pool.attach(0);
    on_threads(4, move |i| {
        let t = if i < 2 { shared } else { pool.attach(i as u32) };
        // One in eight up to 128 KiB, past what caches keep.
        let size = |rng: &mut Rng| {
            let granules = if rng.below(8) == 0 { 2048 } else { 1024 };
            64 * (1 + rng.below(granules) as u32)
        };
        churn(pool, t, 0x5eed + i * 7919, STEPS, size, if i == 3 { Some(10_000) } else { None });
    });
    assert_all_freed(pool);
}

#[test]
fn two_threads_freeing_one_large_block_at_once_get_one_ok_and_one_double_free() {
    // One free through a thread cache (lock-free), the other under the lock (no cache), started
    // together, many times: exactly one of them frees the block.
    use std::sync::atomic::{AtomicU32, Ordering};
    const ROUNDS: u32 = 100_000;
    let pool = new_pool(64 << 20, 64 << 20);
    let cached = pool.attach(0);
    static ROUND: AtomicU32 = AtomicU32::new(0);
    static BLOCK: AtomicU32 = AtomicU32::new(0);
    static DONE: AtomicU32 = AtomicU32::new(0);
    let locked = std::thread::spawn(move || {
        let mut oks = 0;
        for round in 1..=ROUNDS {
            while ROUND.load(Ordering::Acquire) != round {
                std::hint::spin_loop();
            }
            if pool.free(0, BLOCK.load(Ordering::Acquire), 3008) == OK {
                oks += 1;
            }
            DONE.fetch_add(1, Ordering::AcqRel);
        }
        oks
    });
    let mut oks = 0;
    for round in 1..=ROUNDS {
        let block = pool.alloc(cached, 3008);
        BLOCK.store(block, Ordering::Release);
        ROUND.store(round, Ordering::Release);
        let mine = pool.free(cached, block, 3008) == OK;
        while DONE.load(Ordering::Acquire) != round {
            std::hint::spin_loop();
        }
        oks += mine as u32;
    }
    let theirs = locked.join().unwrap();
    assert_eq!(oks + theirs, ROUNDS, "each block freed once");
    assert_all_freed(pool);
}

#[test]
fn a_stale_entry_is_not_taken_when_the_bytes_now_there_spell_its_state() {
    const BUFFER: u32 = ALIGNED_FROM - GRANULE;
    let pool = new_pool(8 << 20, 8 << 20);
    let t = pool.attach(0);
    let before = pool.alloc(0, 2048);
    let block = pool.alloc(t, 3008);
    assert_eq!(pool.free(t, block, 3008), OK);
    assert_eq!(pool.release_unused(0), OK, "t's entry is stale");
    assert_eq!(pool.free(0, before, 2048), OK);
    // A buffer now covers the old block's header, and its bytes spell the entry's state there.
    // Below ALIGNED_FROM, so that it starts where the free space does, not on a page past it.
    let buffer = pool.alloc(0, BUFFER);
    let header = block - GRANULE;
    assert!(buffer < header && header + GRANULE <= buffer + BUFFER, "the buffer covers the old header");
    let state = cached(header, large_class(3008)).to_le_bytes();
    bytes(pool, header + 24, 4).copy_from_slice(&state);
    let again = pool.alloc(t, 3008);
    assert!(again >= buffer + BUFFER || again + 3008 <= buffer, "{} is inside the buffer", again);
    assert_eq!(bytes(pool, header + 24, 4), &state[..], "the buffer's bytes are untouched");
    assert_eq!(pool.free(t, again, 3008), OK);
    assert_eq!(pool.free(0, buffer, BUFFER), OK);
    heap_check(pool);
}
