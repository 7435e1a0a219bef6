//! Where blocks go (placement.rs): payloads of `ALIGNED_FROM` bytes or more on a 4 KiB page
//! where that costs no room, and never an allocation refused, a memory grown, a cache swept or
//! a better fit passed over for the sake of alignment.

use super::support::{bytes, heap_check, new_pool, pool_with_a_cached_block, Rng, TestPool};
use crate::heap::{GRANULE, OK};
use crate::placement::{ALIGNED_FROM, PAYLOAD_PAGE};
use crate::states::blocks_per_slab;

/// Grows the memory to `limit` with one block, then frees it: all after the blocks before is
/// one free tail.
pub fn to_limit(pool: &TestPool, limit: u32) {
    let grown = (1..).map(|k| limit - k * 65536).find_map(|size| Some((pool.alloc(0, size), size)).filter(|&(b, _)| b >= 64));
    let (block, size) = grown.unwrap();
    assert_eq!(pool.free(0, block, size), OK);
}

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
fn a_large_block_takes_an_exact_fit_unaligned_rather_than_room_a_later_block_needs() {
    let limit = 4u32 << 20;
    let total = 4352 * GRANULE; // 272 KiB, a whole number of its free list's width
    let (pool, t, cached) = pool_with_a_cached_block(limit as u64);
    assert!(pool.alloc(0, 128 * 1024) >= 64);
    let halves = [pool.alloc(0, total / 2 - GRANULE), pool.alloc(0, total / 2 - GRANULE)];
    assert!(pool.alloc(0, 128 * 1024) >= 64);
    to_limit(pool, limit);
    for half in halves {
        assert_eq!(pool.free(0, half, total / 2 - GRANULE), OK);
    }
    let exact = halves[0] - GRANULE;
    assert_eq!(pool.inspect(|heap| heap.size(exact)).unwrap(), total, "one free block of exactly the request");
    assert_ne!(halves[0] % PAYLOAD_PAGE, 0, "its payload is not on a page: the test proves nothing");
    // The block goes in the exact fit; the tail is left whole for the next request.
    assert_eq!(pool.alloc(0, total - GRANULE), halves[0]);
    let tail = pool.inspect(|heap| heap.size(heap.prev_phys(heap.end))).unwrap();
    assert!(pool.alloc(0, tail - GRANULE) >= 64);
    assert_eq!(pool.alloc(t, 4096), cached, "the cache still holds its block");
    heap_check(pool);
}
