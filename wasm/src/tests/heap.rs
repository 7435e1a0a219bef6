//! The heap through the pool, one thread at a time (and several at once, each with its cache):
//! blocks, sizes, coalescing, limits, checks of what is freed, poisoning.

use std::collections::BTreeMap;

use super::support::{bytes, heap_check, new_pool, Rng};
use crate::heap::{DOUBLE_FREE, FOREIGN, GRANULE, OK, POISONED};
use crate::stats::Stat;

#[test]
fn blocks_are_aligned_disjoint_and_keep_their_bytes_against_a_model() {
    against_a_model(true);
}

#[test]
fn without_a_thread_cache_too() {
    against_a_model(false);
}

fn against_a_model(cached: bool) {
    let pool = new_pool(256 << 20, 256 << 20);
    let t = if cached { pool.attach(0) } else { 0 };
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut live: BTreeMap<u32, (u32, u8)> = BTreeMap::new();
    let mut model_bytes = 0u64;
    let mut model_peak = 0u64;
    let mut model_count = 0u64;
    for step in 0..20_000u32 {
        let choice = rng.below(10);
        if choice < 5 || live.is_empty() {
            let size = rng.size();
            let offset = pool.alloc(t, size);
            assert_ne!(offset, 0, "out of memory at step {}", step);
            assert_eq!(offset % GRANULE, 0);
            if size > 0 {
                // No overlap with the neighbours on either side.
                if let Some((&before, &(before_size, _))) = live.range(..offset).next_back() {
                    assert!(before + before_size <= offset, "overlap at step {}", step);
                }
                if let Some((&after, _)) = live.range(offset..).next() {
                    assert!(offset + size <= after, "overlap at step {}", step);
                }
                let fill = (step % 251) as u8;
                bytes(pool, offset, size).fill(fill);
                live.insert(offset, (size, fill));
            }
            model_bytes += size as u64;
            model_count += 1;
        } else if choice < 8 {
            let key = *live.keys().nth(rng.below(live.len() as u64) as usize).unwrap();
            let (size, fill) = live.remove(&key).unwrap();
            assert!(bytes(pool, key, size).iter().all(|&b| b == fill), "bytes changed at step {}", step);
            assert_eq!(pool.free(t, key, size), OK);
            model_bytes -= size as u64;
        } else {
            let key = *live.keys().nth(rng.below(live.len() as u64) as usize).unwrap();
            let (size, fill) = live.remove(&key).unwrap();
            let new_size = rng.size().max(64);
            let moved = pool.realloc(t, key, size, new_size);
            assert_ne!(moved, 0);
            let kept = size.min(new_size);
            assert!(bytes(pool, moved, kept).iter().all(|&b| b == fill), "realloc lost bytes at step {}", step);
            bytes(pool, moved, new_size).fill(fill);
            live.insert(moved, (new_size, fill));
            model_bytes = model_bytes - size as u64 + new_size as u64;
            model_count += (new_size > size) as u64; // only growth counts (Arrow's DidReallocateBytes)
        }
        model_peak = model_peak.max(model_bytes);
        assert_eq!(pool.stat(Stat::BytesAllocated), model_bytes);
        assert_eq!(pool.stat(Stat::MaxMemory), model_peak);
        assert_eq!(pool.stat(Stat::NumAllocations), model_count);
        if step % 1000 == 0 {
            heap_check(pool);
        }
    }
    for (offset, (size, _)) in std::mem::take(&mut live) {
        assert_eq!(pool.free(t, offset, size), OK);
    }
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    heap_check(pool);
}

#[test]
fn freed_neighbours_coalesce_into_one_block() {
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let before = heap_check(pool);
    let blocks: Vec<u32> = (0..50).map(|_| pool.alloc(t, 100 * 1024)).collect();
    assert!(blocks.iter().all(|&b| b != 0));
    let grown = heap_check(pool);
    // Free in an order that exercises merging with the previous, the next, and both.
    for i in (0..50).step_by(2) {
        assert_eq!(pool.free(t, blocks[i], 100 * 1024), OK);
    }
    for i in (1..50).step_by(2) {
        assert_eq!(pool.free(t, blocks[i], 100 * 1024), OK);
    }
    let after = heap_check(pool);
    assert!(after > before);
    assert!(after >= grown + 50 * 100 * 1024);
    // All of it is one block again: one allocation of nearly everything succeeds.
    let memory = pool.memory_size();
    let big = pool.alloc(t, ((after - 2 * GRANULE as u64) / 64 * 64) as u32);
    assert_ne!(big, 0);
    assert_eq!(pool.memory_size(), memory, "it fit without growing");
}

#[test]
fn realloc_grows_in_place_into_free_space_after_the_block() {
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let a = pool.alloc(t, 64 * 1024);
    bytes(pool, a, 64 * 1024).fill(7);
    let grown = pool.realloc(t, a, 64 * 1024, 1 << 20);
    assert_eq!(grown, a, "the block after it was free");
    assert!(bytes(pool, grown, 64 * 1024).iter().all(|&b| b == 7));
    let shrunk = pool.realloc(t, grown, 1 << 20, 2048);
    assert_eq!(shrunk, a);
    heap_check(pool);
}

#[test]
fn the_limit_is_respected_and_memory_is_usable_again_after_exhaustion() {
    let pool = new_pool(64 << 20, 4 << 20);
    let t = pool.attach(0);
    let mut blocks = Vec::new();
    loop {
        let block = pool.alloc(t, 256 * 1024);
        if block == 0 {
            break;
        }
        blocks.push(block);
    }
    assert!(blocks.len() >= 14 && blocks.len() < 16, "{} blocks of 256 KiB in 4 MiB", blocks.len());
    assert!(pool.memory_size() <= 4 << 20);
    let stats_before = pool.stat(Stat::BytesAllocated);
    assert_eq!(pool.alloc(t, 8 << 20), 0);
    assert_eq!(pool.realloc(t, blocks[0], 256 * 1024, 8 << 20), 0, "a failed realloc keeps the block");
    assert_eq!(pool.stat(Stat::BytesAllocated), stats_before);
    for block in blocks.drain(..) {
        assert_eq!(pool.free(t, block, 256 * 1024), OK);
    }
    assert_ne!(pool.alloc(t, 3 << 20), 0);
    heap_check(pool);
}

#[test]
fn zero_byte_requests_get_a_valid_address_and_count() {
    let pool = new_pool(8 << 20, 8 << 20);
    let t = pool.attach(0);
    let zero = pool.alloc(t, 0);
    assert_ne!(zero, 0);
    assert_eq!(zero % GRANULE, 0);
    assert_eq!(pool.stat(Stat::NumAllocations), 1);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    assert_eq!(pool.free(t, zero, 0), OK);
    let grown = pool.realloc(t, zero, 0, 128);
    assert_ne!(grown, 0);
    assert_eq!(pool.free(t, grown, 128), OK);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
}

#[test]
fn threads_allocating_at_once_never_overlap_and_the_statistics_add_up() {
    const THREADS: u64 = 4;
    const STEPS: u32 = 20_000;
    let pool = new_pool(512 << 20, 512 << 20);
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            std::thread::spawn(move || {
                // Half the threads with a cache, half without.
                let t = if i % 2 == 0 { pool.attach(i as u32) } else { 0 };
                let mut rng = Rng(0x1234_5678 + i * 7919);
                let mut live: Vec<(u32, u32, u8)> = Vec::new();
                let mut count = 0u64;
                for step in 0..STEPS {
                    if rng.below(2) == 0 || live.is_empty() {
                        let size = rng.size().max(64);
                        let offset = pool.alloc(t, size);
                        assert_ne!(offset, 0);
                        let fill = (i as u8).wrapping_mul(31).wrapping_add(step as u8);
                        bytes(pool, offset, size).fill(fill);
                        live.push((offset, size, fill));
                        count += 1;
                    } else {
                        let (offset, size, fill) = live.swap_remove(rng.below(live.len() as u64) as usize);
                        assert!(
                            bytes(pool, offset, size).iter().all(|&b| b == fill),
                            "another thread wrote into a block of thread {}",
                            i
                        );
                        assert_eq!(pool.free(t, offset, size), OK);
                    }
                }
                for (offset, size, fill) in live {
                    assert!(bytes(pool, offset, size).iter().all(|&b| b == fill));
                    assert_eq!(pool.free(t, offset, size), OK);
                }
                count
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    assert_eq!(pool.stat(Stat::NumAllocations), total);
    heap_check(pool);
}

#[test]
fn double_frees_and_foreign_blocks_are_reported_and_change_nothing() {
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let large = pool.alloc(t, 64 * 1024);
    let small = pool.alloc(t, 64);
    let other = pool.alloc(t, 256);
    let stats = || pool.stat(Stat::BytesAllocated);
    assert_eq!(pool.free(t, large, 64 * 1024), OK);
    assert_eq!(pool.free(t, large, 64 * 1024), DOUBLE_FREE);
    assert_eq!(pool.realloc(t, large, 64 * 1024, 128 * 1024), DOUBLE_FREE);
    assert_eq!(pool.free(t, small, 64), OK);
    assert_eq!(pool.free(t, small, 64), DOUBLE_FREE);
    assert_eq!(stats(), 256);
    for (offset, size) in [(100, 64), (other, 128), (other + 64, 256), (other, 2048), (1 << 30, 64), (other, 100)] {
        assert_eq!(pool.free(t, offset, size), FOREIGN, "free({}, {})", offset, size);
    }
    let big = pool.alloc(t, 1 << 20);
    for (offset, size) in [(big + 6400, 64), (big + 6400, 4096), (big, 2048), (big + 64, 1 << 20)] {
        assert_eq!(pool.free(t, offset, size), FOREIGN, "free({}, {})", offset, size);
    }
    assert_eq!(stats(), 256 + (1 << 20));
    // The small block is handed out once, not twice.
    let a = pool.alloc(t, 64);
    let b = pool.alloc(t, 64);
    assert_ne!(a, b);
    for (offset, size) in [(a, 64), (b, 64), (other, 256), (big, 1 << 20)] {
        assert_eq!(pool.free(t, offset, size), OK);
    }
    assert_eq!(stats(), 0);
    heap_check(pool);
}

#[test]
fn slabs_whose_blocks_are_all_free_go_back_to_the_heap() {
    let pool = new_pool(32 << 20, 16 << 20);
    let t = pool.attach(0);
    for size in [64u32, 128, 1024, 64] {
        let mut blocks = Vec::new();
        loop {
            let block = pool.alloc(t, size);
            if block == 0 {
                break;
            }
            blocks.push(block);
        }
        // Slabs waste their header and the tail that no block fits (6% for 1 KiB blocks).
        assert!(blocks.len() as u64 * size as u64 > 14 << 20, "{} blocks of {}", blocks.len(), size);
        heap_check(pool);
        for block in blocks {
            assert_eq!(pool.free(t, block, size), OK);
        }
        assert_eq!(pool.stat(Stat::BytesAllocated), 0);
        for large in [1u32 << 20, 12 << 20] {
            let block = pool.alloc(t, large);
            assert_ne!(block, 0, "{} bytes after freeing every {}-byte block", large, size);
            assert_eq!(pool.free(t, block, large), OK);
        }
        heap_check(pool);
    }
}

#[test]
fn a_poisoned_pool_refuses_every_call_in_every_thread_and_never_hangs() {
    let pool = new_pool(8 << 20, 8 << 20);
    let t = pool.attach(0);
    let block = pool.alloc(t, 4096);
    // Poison while this thread holds the lock, as a trap inside the allocator would leave it.
    pool.inspect(|_| {
        let waiter = std::thread::spawn(move || pool.alloc(0, 64));
        std::thread::sleep(std::time::Duration::from_millis(20));
        pool.poison();
        assert_eq!(waiter.join().unwrap(), POISONED);
    });
    assert!(pool.is_poisoned());
    assert_eq!(pool.alloc(t, 64), POISONED);
    assert_eq!(pool.free(t, block, 4096), POISONED);
    assert_eq!(pool.realloc(t, block, 4096, 8192), POISONED);
    assert_eq!(pool.init(1000, 8 << 20, 1000), POISONED);
    assert!(pool.inspect(|_| ()).is_none());
    assert_eq!(pool.stat(Stat::BytesAllocated), 4096);
}

#[test]
fn the_last_block_grows_into_new_memory_without_moving() {
    // Limit 64 MiB, starting small: a buffer that keeps growing at the end of the heap must
    // reach most of the limit, not half of it (a move would need old and new at once).
    let pool = new_pool(64 << 20, 64 << 20);
    let t = pool.attach(0);
    let a = pool.alloc(t, 1 << 20);
    bytes(pool, a, 1 << 20).fill(9);
    let mut size = 1u32 << 20;
    let mut block = a;
    while size < (60 << 20) {
        let next = size + (4 << 20);
        block = pool.realloc(t, block, size, next);
        assert_eq!(block, a, "grew from {} to {} bytes in place", size, next);
        size = next;
    }
    assert!(bytes(pool, block, 1 << 20).iter().all(|&b| b == 9));
    heap_check(pool);
}
