//! A heap near or at its limit: what the heap finds before it grows, sweeps the thread caches
//! or fails (placement.rs `find_or_make`), and that it never grows by nothing.

use std::sync::atomic::Ordering;

use super::placement::to_limit;
use super::support::{bytes, heap_check, new_pool, pool_with_a_cached_block, Rng, TestPool};
use crate::heap::{GRANULE, HEADER, OK};
use crate::large::{cached, large_class, state};
use crate::states::SLAB_SPAN;

/// Whether the large block at `offset`, obtained for `size` bytes, is in a thread cache.
fn still_cached(pool: &TestPool, offset: u32, size: u32) -> bool {
    let expected = cached(offset - HEADER, large_class(size));
    pool.inspect(|heap| state(heap.base(), offset - HEADER).load(Ordering::Relaxed) == expected).unwrap()
}

/// The free tail's offset and size (0 and 0 if the last block is used).
fn tail(pool: &TestPool) -> (u32, u32) {
    pool.inspect(|heap| {
        let tail = heap.prev_phys(heap.end);
        if heap.is_free(tail) { (tail, heap.size(tail)) } else { (0, 0) }
    })
    .unwrap()
}

/// Fills the free tail from its start with blocks below ALIGNED_FROM until `target` bytes are left.
fn shrink_tail(pool: &TestPool, target: u32) {
    while tail(pool).1 - target > 250 * 1024 {
        assert!(pool.alloc(0, 150 * 1024) >= 64);
    }
    assert!(pool.alloc(0, tail(pool).1 - target - GRANULE) >= 64);
    assert_eq!(tail(pool).1, target);
}

#[test]
fn a_free_block_behind_a_smaller_head_of_its_list_is_found_at_the_limit() {
    behind_a_smaller_head(false);
}

#[test]
fn a_free_tail_behind_a_smaller_head_of_its_list_is_found_at_the_limit_without_growing_by_nothing() {
    behind_a_smaller_head(true);
}

/// At the limit, a free block of 1663 granules (the free tail, or one between used blocks)
/// behind a free block of 1600 at the head of their list, and a request of 1601: `find`
/// offers the head, or a block from a list above, and none fits.
fn behind_a_smaller_head(at_the_end: bool) {
    let (small, fit) = (1600 * GRANULE - GRANULE, 1663 * GRANULE - GRANULE);
    let pool = new_pool(4 << 20, 4 << 20);
    let spacer = 70 * 1024;
    let head = [pool.alloc(0, spacer), pool.alloc(0, small), pool.alloc(0, spacer)];
    let middle = if at_the_end { [64, 64] } else { [pool.alloc(0, fit), pool.alloc(0, spacer)] };
    assert!(head.iter().chain(&middle).all(|&block| block >= 64));
    to_limit(pool, 4 << 20);
    let fitting = if at_the_end {
        shrink_tail(pool, fit + GRANULE);
        tail(pool).0 + HEADER
    } else {
        shrink_tail(pool, 200 * 1024);
        assert!(pool.alloc(0, 200 * 1024 - GRANULE) >= 64);
        assert_eq!(pool.free(0, middle[0], fit), OK);
        middle[0]
    };
    assert_eq!(pool.free(0, head[1], small), OK); // the head of the list now
    let total = 1601 * GRANULE;
    assert_eq!(pool.inspect(|heap| heap.find(total)).unwrap(), 0, "the lists do not offer it");
    let memory = pool.memory_size();
    assert_eq!(pool.alloc(0, total - GRANULE), fitting);
    assert_eq!(pool.memory_size(), memory);
    heap_check(pool);
}

#[test]
fn a_slab_goes_in_the_free_tail_at_the_limit_when_the_block_offered_first_holds_none() {
    let pool = new_pool(4 << 20, 4 << 20);
    assert!(pool.alloc(0, 70 * 1024) >= 64);
    let offered = pool.alloc(0, 16384); // a free block of 16448 bytes once freed
    assert!(pool.alloc(0, 70 * 1024) >= 64);
    to_limit(pool, 4 << 20);
    assert_eq!(pool.free(0, offered, 16384), OK);
    assert_ne!((offered - HEADER) % SLAB_SPAN, 0, "it holds no aligned span: the test proves nothing");
    // A tail too small for a span wherever it starts, large enough for this one.
    shrink_tail(pool, 2 * SLAB_SPAN + GRANULE);
    assert!(pool.alloc(0, 64) >= 64);
    heap_check(pool);
}

#[test]
fn an_impossible_request_leaves_the_thread_caches_alone() {
    let (pool, _, kept) = pool_with_a_cached_block(8 << 20);
    assert_eq!(pool.alloc(0, 0xFFFF_FF80), 0);
    assert_eq!(pool.alloc(0, 16 << 20), 0);
    assert!(still_cached(pool, kept, 4096), "the cache still holds its block");
}

#[test]
fn a_large_block_near_the_limit_leaves_the_thread_caches_alone() {
    let (pool, t, cached) = pool_with_a_cached_block(8 << 20);
    let (tail, memory) = pool.inspect(|heap| (heap.size(heap.prev_phys(heap.end)), heap.memory_size())).unwrap();
    // All the memory can still take, but for 2 KiB: room for the block, not for its gap.
    let total = (tail as u64 + (8u64 << 20) - memory) as u32 - 2048;
    assert!(pool.alloc(0, total - GRANULE) >= 64);
    assert_eq!(pool.alloc(t, 4096), cached, "the cache still holds its block");
}

#[test]
fn the_free_tail_is_found_before_the_memory_grows_and_never_grown_by_nothing() {
    // At the limit: a realloc at the end of the heap whose tail already fits it.
    let pool = new_pool(65536, 65536);
    let block = pool.alloc(0, 1408);
    assert_eq!(pool.realloc(0, block, 1408, 2432), block);
    heap_check(pool);
    // Below it: the same adds no memory.
    let pool = new_pool(8 << 20, 8 << 20);
    let block = pool.alloc(0, 1408);
    let memory = pool.memory_size();
    assert_eq!(pool.realloc(0, block, 1408, 2432), block);
    assert_eq!(pool.memory_size(), memory);
    heap_check(pool);
}

#[test]
fn a_full_pool_under_random_traffic_from_two_caches_and_none_keeps_every_block_whole() {
    for seed in 1..25u64 {
        let pool = new_pool(6 << 20, 6 << 20);
        let tickets = [pool.attach(0), pool.attach(0), 0];
        let mut rng = Rng(0x9e3779b97f4a7c15 ^ seed);
        let mut live: Vec<(u32, u32, u8)> = Vec::new();
        for step in 0..4000u32 {
            let t = tickets[rng.below(3) as usize];
            let size = match rng.below(4) {
                0 => rng.size().max(64),
                1 => ((rng.below(66_000) + 64) / 64 * 64) as u32,
                _ => ((65_600 + rng.below(600_000)) / 64 * 64) as u32,
            };
            match rng.below(20) {
                0..=8 => {
                    // Failing is allowed here: the pool is full most of the time.
                    let block = pool.alloc(t, size);
                    if block >= 64 {
                        bytes(pool, block, size).fill(step as u8);
                        live.push((block, size, step as u8));
                    }
                }
                _ if live.is_empty() => {}
                9..=15 => {
                    let (block, size, fill) = live.swap_remove(rng.below(live.len() as u64) as usize);
                    assert!(bytes(pool, block, size).iter().all(|&b| b == fill), "bytes changed at step {}", step);
                    assert_eq!(pool.free(t, block, size), OK);
                }
                16..=18 => {
                    let i = rng.below(live.len() as u64) as usize;
                    let (block, old, fill) = live[i];
                    let moved = pool.realloc(t, block, old, size);
                    if moved >= 64 {
                        assert!(bytes(pool, moved, old.min(size)).iter().all(|&b| b == fill), "realloc lost bytes at step {}", step);
                        bytes(pool, moved, size).fill(fill);
                        live[i] = (moved, size, fill);
                    } else {
                        assert_eq!(moved, 0, "a failed realloc is out of memory, nothing else");
                    }
                }
                _ => assert_eq!(pool.release_unused(0), OK),
            }
            heap_check(pool);
        }
    }
}
