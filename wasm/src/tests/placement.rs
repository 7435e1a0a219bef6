//! Where blocks go (placement.rs): payloads of `ALIGNED_FROM` bytes or more on a 4 KiB page
//! where that costs no room, and never an allocation refused, a memory grown or a cache swept
//! for the sake of alignment; and the free tail of the heap found before the memory grows.

use super::support::{bytes, heap_check, new_pool, Rng, TestPool};
use crate::heap::{GRANULE, OK};
use crate::placement::{ALIGNED_FROM, PAYLOAD_PAGE};
use crate::states::blocks_per_slab;

/// Allocates `size` bytes through `ticket` until the pool is full; the blocks.
fn fill(pool: &'static TestPool, ticket: u32, size: u32) -> Vec<u32> {
    std::iter::from_fn(|| Some(pool.alloc(ticket, size)).filter(|&block| block >= 64)).collect()
}

#[test]
fn large_blocks_start_on_a_page_among_blocks_of_every_size() {
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let sizes = [128, 300_032, 3008, 1 << 20, 70_016, ALIGNED_FROM, 5056, 1_000_000, 640, 4 << 20];
    let blocks: Vec<(u32, u32)> = sizes.iter().map(|&size| (pool.alloc(t, size), size)).collect();
    for &(offset, size) in &blocks {
        assert!(offset >= 64, "{} bytes: {}", size, offset);
        if size >= ALIGNED_FROM {
            assert_eq!(offset % PAYLOAD_PAGE, 0, "{} bytes at {}", size, offset);
        }
    }
    // Freed and asked for again, a large block comes back where it was: still on its page.
    let (offset, size) = blocks[3];
    assert_eq!(pool.free(t, offset, size), OK);
    assert_eq!(pool.alloc(t, size), offset);
    heap_check(pool);
}

#[test]
fn random_traffic_keeps_the_heap_whole_and_most_large_blocks_on_a_page() {
    let pool = new_pool(256 << 20, 256 << 20);
    let t = pool.attach(0);
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let mut live: Vec<(u32, u32, u8)> = Vec::new();
    let (mut large, mut aligned) = (0, 0);
    for step in 0..20_000u32 {
        if rng.below(2) == 0 || live.is_empty() {
            let size = rng.size().max(64);
            let offset = pool.alloc(t, size);
            assert!(offset >= 64, "alloc failed with {} at step {}", offset, step);
            if size >= ALIGNED_FROM {
                large += 1;
                aligned += (offset % PAYLOAD_PAGE == 0) as u32;
            }
            bytes(pool, offset, size).fill(step as u8);
            live.push((offset, size, step as u8));
        } else {
            let (offset, size, fill) = live.swap_remove(rng.below(live.len() as u64) as usize);
            assert!(bytes(pool, offset, size).iter().all(|&b| b == fill), "bytes changed at step {}", step);
            assert_eq!(pool.free(t, offset, size), OK);
        }
        if step % 1000 == 0 {
            heap_check(pool);
        }
    }
    assert!(large > 300 && aligned * 10 >= large * 9, "{} of {} large blocks on a page", aligned, large);
    for (offset, size, _) in live {
        assert_eq!(pool.free(t, offset, size), OK);
    }
    heap_check(pool);
}

#[test]
fn at_the_limit_a_block_with_no_room_for_the_gap_in_front_still_fits() {
    let pool = new_pool(8 << 20, 8 << 20);
    // The memory grown to its limit, all of it one free block once the block is freed.
    let grown = (1..).map(|k| (8 << 20) - k * 65536).find_map(|size| match pool.alloc(0, size) {
        0 => None,
        offset => Some((offset, size)),
    });
    let (offset, size) = grown.unwrap();
    assert_eq!(pool.free(0, offset, size), OK);
    let free = heap_check(pool) as u32;
    assert!(pool.memory_size() > (8 << 20) - 65536, "the memory is at its limit");
    // Every byte of that block: its payload cannot start on a page unless the block does.
    let everything = free - GRANULE;
    let block = pool.alloc(0, everything);
    assert_ne!(block, 0, "{} bytes in a free block of {}", everything, free);
    assert_ne!(block % PAYLOAD_PAGE, 0, "the free block happened to start on a page: the test proves nothing");
    assert_eq!(heap_check(pool), 0);
    assert_eq!(pool.free(0, block, everything), OK);
}

#[test]
fn a_large_block_that_fits_in_what_empty_slabs_hold_does_not_grow_the_memory() {
    let build = || {
        let pool = new_pool(64 << 20, 64 << 20);
        let smalls: Vec<u32> = (0..blocks_per_slab(64) * 80).map(|_| pool.alloc(0, 64)).collect();
        for block in smalls {
            assert_eq!(pool.free(0, block, 64), OK);
        }
        pool
    };
    let twin = build();
    twin.release_unused(0);
    let whole = heap_check(twin) as u32; // with the slabs given back, one free block
    let pool = build();
    let memory = pool.memory_size();
    assert!(pool.alloc(0, whole - GRANULE) >= 64);
    assert_eq!(pool.memory_size(), memory);
}

#[test]
fn a_large_block_near_the_limit_leaves_the_thread_caches_alone() {
    let pool = new_pool(8 << 20, 8 << 20);
    let t = pool.attach(0);
    let cached = pool.alloc(t, 4096);
    assert_eq!(pool.free(t, cached, 4096), OK);
    let (tail, memory) = pool.inspect(|heap| (heap.size(heap.prev_phys(heap.end)), heap.memory_size())).unwrap();
    // All the memory can still take, but for 2 KiB: room for the block, not for its gap.
    let total = (tail as u64 + (8u64 << 20) - memory) as u32 - 2048;
    assert!(pool.alloc(0, total - GRANULE) >= 64);
    assert_eq!(pool.alloc(t, 4096), cached, "the cache still holds its block");
}

#[test]
fn same_size_large_blocks_up_to_the_limit_lose_at_most_one_in_64_to_the_gaps() {
    for size in [ALIGNED_FROM, 320 * 1024, 1 << 20] {
        let pool = new_pool(32 << 20, 32 << 20);
        let blocks = fill(pool, 0, size);
        // What the same memory holds end to end: all of it freed is one block.
        for &block in &blocks {
            assert_eq!(pool.free(0, block, size), OK);
        }
        let packed = (heap_check(pool) / (size + GRANULE) as u64) as usize;
        assert!(blocks.len() + (packed + 63) / 64 >= packed, "{} of {} blocks of {} bytes", blocks.len(), packed, size);
    }
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
fn a_free_tail_the_lists_do_not_offer_first_is_taken_at_the_limit() {
    // Blocks of 1600 to 1663 granules share a free list; `find` offers its head, or a block
    // from a list above. The tail here is 1663 granules, and the head a free block of 1600:
    // a request of 1601 granules fits only the tail.
    const GRANULES_A: u32 = 1600;
    const GRANULES_TAIL: u32 = 1663;
    let pool = new_pool(4 << 20, 4 << 20);
    let x = pool.alloc(0, 70 * 1024);
    let a = pool.alloc(0, GRANULES_A * GRANULE - GRANULE);
    let y = pool.alloc(0, 70 * 1024);
    assert!(x >= 64 && a >= 64 && y >= 64);
    // The memory grown to its limit, and all of it after `y` one free tail.
    let big = (1..).map(|k| (4 << 20) - k * 65536).find_map(|size| Some((pool.alloc(0, size), size)).filter(|&(b, _)| b >= 64));
    let (block, size) = big.unwrap();
    assert_eq!(pool.free(0, block, size), OK);
    let tail = || pool.inspect(|heap| heap.size(heap.prev_phys(heap.end))).unwrap();
    // Padding (below ALIGNED_FROM, so placed where the tail starts) until it is 1663 granules.
    while tail() - GRANULES_TAIL * GRANULE > 250 * 1024 {
        assert!(pool.alloc(0, 150 * 1024) >= 64);
    }
    assert!(pool.alloc(0, tail() - GRANULES_TAIL * GRANULE - GRANULE) >= 64);
    assert_eq!(tail(), GRANULES_TAIL * GRANULE);
    assert_eq!(pool.free(0, a, GRANULES_A * GRANULE - GRANULE), OK);
    let total = (GRANULES_A + 1) * GRANULE;
    assert_eq!(pool.inspect(|heap| heap.find(total)).unwrap(), 0, "the lists do not offer the tail");
    let memory = pool.memory_size();
    assert!(pool.alloc(0, total - GRANULE) >= 64);
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
