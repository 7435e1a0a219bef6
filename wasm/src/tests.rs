//! Native unit tests of the allocator: `cargo test` in wasm/.

use std::alloc::{alloc_zeroed, Layout};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU32;

use crate::heap::{Memory, DOUBLE_FREE, FOREIGN, GRANULE, OK, POISONED};
use crate::lock::Parking;
use crate::pool::{Pool, Stat};

const PAGE: u64 = 65536;

/// A memory reserved up front that grows a page at a time, like a wasm memory.
struct TestMemory {
    base: usize,
    size: u64,
    reserved: u64,
}

impl TestMemory {
    fn new(reserved: u64) -> Self {
        let layout = Layout::from_size_align(reserved as usize, PAGE as usize).unwrap();
        // Leaked on purpose: pools are leaked too, so that threads can share them.
        let base = unsafe { alloc_zeroed(layout) } as usize;
        assert_ne!(base, 0);
        TestMemory { base, size: PAGE, reserved }
    }
}

impl Memory for TestMemory {
    fn base(&self) -> usize {
        self.base
    }
    fn size(&self) -> u64 {
        self.size
    }
    fn grow(&mut self, bytes: u64) -> bool {
        if self.size + bytes > self.reserved {
            return false;
        }
        self.size += bytes;
        true
    }
}

struct Yield;

impl Parking for Yield {
    fn wait(_: &AtomicU32, _: u32) {
        std::thread::yield_now();
    }
    fn wake(_: &AtomicU32) {}
}

type TestPool = Pool<Yield, TestMemory>;

fn new_pool(reserved: u64, limit: u64) -> &'static TestPool {
    let pool = Box::leak(Box::new(Pool::new(TestMemory::new(reserved))));
    assert_eq!(pool.init(1000, limit), 1);
    pool
}

/// Checks the heap's invariants; returns the bytes in free blocks.
fn heap_check(pool: &TestPool) -> u64 {
    pool.inspect(|heap| heap.check()).unwrap()
}

fn bytes(pool: &TestPool, offset: u32, size: u32) -> &'static mut [u8] {
    let base = pool.inspect(|heap| heap.memory_base()).unwrap();
    unsafe { std::slice::from_raw_parts_mut((base + offset as usize) as *mut u8, size as usize) }
}

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Mostly small sizes, some large ones, now and then a huge one; multiples of 64.
    fn size(&mut self) -> u32 {
        let raw = match self.below(10) {
            0..=5 => self.below(1100),
            6..=8 => self.below(70_000),
            _ => self.below(700_000),
        };
        ((raw + 63) / 64 * 64) as u32
    }
}

#[test]
fn blocks_are_aligned_disjoint_and_keep_their_bytes_against_a_model() {
    let pool = new_pool(256 << 20, 256 << 20);
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut live: BTreeMap<u32, (u32, u8)> = BTreeMap::new();
    let mut model_bytes = 0u64;
    let mut model_peak = 0u64;
    let mut model_count = 0u64;
    for step in 0..20_000u32 {
        let choice = rng.below(10);
        if choice < 5 || live.is_empty() {
            let size = rng.size();
            let offset = pool.alloc(size);
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
            assert_eq!(pool.free(key, size), OK);
            model_bytes -= size as u64;
        } else {
            let key = *live.keys().nth(rng.below(live.len() as u64) as usize).unwrap();
            let (size, fill) = live.remove(&key).unwrap();
            let new_size = rng.size().max(64);
            let moved = pool.realloc(key, size, new_size);
            assert_ne!(moved, 0);
            let kept = size.min(new_size);
            assert!(bytes(pool, moved, kept).iter().all(|&b| b == fill), "realloc lost bytes at step {}", step);
            bytes(pool, moved, new_size).fill(fill);
            live.insert(moved, (new_size, fill));
            model_bytes = model_bytes - size as u64 + new_size as u64;
            model_count += 1;
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
        assert_eq!(pool.free(offset, size), OK);
    }
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    heap_check(pool);
}

#[test]
fn freed_neighbours_coalesce_into_one_block() {
    let pool = new_pool(64 << 20, 64 << 20);
    let before = heap_check(pool);
    let blocks: Vec<u32> = (0..50).map(|_| pool.alloc(100 * 1024)).collect();
    assert!(blocks.iter().all(|&b| b != 0));
    let grown = heap_check(pool);
    // Free in an order that exercises merging with the previous, the next, and both.
    for i in (0..50).step_by(2) {
        assert_eq!(pool.free(blocks[i], 100 * 1024), OK);
    }
    for i in (1..50).step_by(2) {
        assert_eq!(pool.free(blocks[i], 100 * 1024), OK);
    }
    let after = heap_check(pool);
    assert!(after > before);
    assert!(after >= grown + 50 * 100 * 1024);
    // All of it is one block again: one allocation of nearly everything succeeds.
    let memory = pool.memory_size();
    let big = pool.alloc(((after - 2 * GRANULE as u64) / 64 * 64) as u32);
    assert_ne!(big, 0);
    assert_eq!(pool.memory_size(), memory, "it fit without growing");
}

#[test]
fn realloc_grows_in_place_into_free_space_after_the_block() {
    let pool = new_pool(64 << 20, 64 << 20);
    let a = pool.alloc(64 * 1024);
    bytes(pool, a, 64 * 1024).fill(7);
    let grown = pool.realloc(a, 64 * 1024, 1 << 20);
    assert_eq!(grown, a, "the block after it was free");
    assert!(bytes(pool, grown, 64 * 1024).iter().all(|&b| b == 7));
    let shrunk = pool.realloc(grown, 1 << 20, 2048);
    assert_eq!(shrunk, a);
    heap_check(pool);
}

#[test]
fn the_limit_is_respected_and_memory_is_usable_again_after_exhaustion() {
    let pool = new_pool(64 << 20, 4 << 20);
    let mut blocks = Vec::new();
    loop {
        let block = pool.alloc(256 * 1024);
        if block == 0 {
            break;
        }
        blocks.push(block);
    }
    assert!(blocks.len() >= 14 && blocks.len() < 16, "{} blocks of 256 KiB in 4 MiB", blocks.len());
    assert!(pool.memory_size() <= 4 << 20);
    let stats_before = pool.stat(Stat::BytesAllocated);
    assert_eq!(pool.alloc(8 << 20), 0);
    assert_eq!(pool.realloc(blocks[0], 256 * 1024, 8 << 20), 0, "a failed realloc keeps the block");
    assert_eq!(pool.stat(Stat::BytesAllocated), stats_before);
    for block in blocks.drain(..) {
        assert_eq!(pool.free(block, 256 * 1024), OK);
    }
    assert_ne!(pool.alloc(3 << 20), 0);
    heap_check(pool);
}

#[test]
fn zero_byte_requests_get_a_valid_address_and_count() {
    let pool = new_pool(8 << 20, 8 << 20);
    let zero = pool.alloc(0);
    assert_ne!(zero, 0);
    assert_eq!(zero % GRANULE, 0);
    assert_eq!(pool.stat(Stat::NumAllocations), 1);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    assert_eq!(pool.free(zero, 0), OK);
    let grown = pool.realloc(zero, 0, 128);
    assert_ne!(grown, 0);
    assert_eq!(pool.free(grown, 128), OK);
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
}

#[test]
fn threads_allocating_at_once_never_overlap_and_the_statistics_add_up() {
    const THREADS: u64 = 4;
    const STEPS: u32 = 20_000;
    let pool = new_pool(512 << 20, 512 << 20);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                let mut rng = Rng(0x1234_5678 + t * 7919);
                let mut live: Vec<(u32, u32, u8)> = Vec::new();
                let mut count = 0u64;
                for step in 0..STEPS {
                    if rng.below(2) == 0 || live.is_empty() {
                        let size = rng.size().max(64);
                        let offset = pool.alloc(size);
                        assert_ne!(offset, 0);
                        let fill = (t as u8).wrapping_mul(31).wrapping_add(step as u8);
                        bytes(pool, offset, size).fill(fill);
                        live.push((offset, size, fill));
                        count += 1;
                    } else {
                        let (offset, size, fill) = live.swap_remove(rng.below(live.len() as u64) as usize);
                        assert!(
                            bytes(pool, offset, size).iter().all(|&b| b == fill),
                            "another thread wrote into a block of thread {}",
                            t
                        );
                        assert_eq!(pool.free(offset, size), OK);
                    }
                }
                for (offset, size, fill) in live {
                    assert!(bytes(pool, offset, size).iter().all(|&b| b == fill));
                    assert_eq!(pool.free(offset, size), OK);
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
    let large = pool.alloc(64 * 1024);
    let small = pool.alloc(64);
    let other = pool.alloc(256);
    let stats = || pool.stat(Stat::BytesAllocated);
    assert_eq!(pool.free(large, 64 * 1024), OK);
    assert_eq!(pool.free(large, 64 * 1024), DOUBLE_FREE);
    assert_eq!(pool.realloc(large, 64 * 1024, 128 * 1024), DOUBLE_FREE);
    assert_eq!(pool.free(small, 64), OK);
    assert_eq!(pool.free(small, 64), DOUBLE_FREE);
    assert_eq!(stats(), 256);
    for (offset, size) in [(100, 64), (other, 128), (other + 64, 256), (other, 2048), (1 << 30, 64), (other, 100)] {
        assert_eq!(pool.free(offset, size), FOREIGN, "free({}, {})", offset, size);
    }
    let big = pool.alloc(1 << 20);
    for (offset, size) in [(big + 6400, 64), (big + 6400, 4096), (big, 2048), (big + 64, 1 << 20)] {
        assert_eq!(pool.free(offset, size), FOREIGN, "free({}, {})", offset, size);
    }
    assert_eq!(stats(), 256 + (1 << 20));
    // The small block is handed out once, not twice.
    let a = pool.alloc(64);
    let b = pool.alloc(64);
    assert_ne!(a, b);
    for (offset, size) in [(a, 64), (b, 64), (other, 256), (big, 1 << 20)] {
        assert_eq!(pool.free(offset, size), OK);
    }
    assert_eq!(stats(), 0);
    heap_check(pool);
}

#[test]
fn slabs_whose_blocks_are_all_free_go_back_to_the_heap() {
    let pool = new_pool(32 << 20, 16 << 20);
    for size in [64u32, 128, 1024, 64] {
        let mut blocks = Vec::new();
        loop {
            let block = pool.alloc(size);
            if block == 0 {
                break;
            }
            blocks.push(block);
        }
        // Slabs waste their header and the tail that no block fits (6% for 1 KiB blocks).
        assert!(blocks.len() as u64 * size as u64 > 14 << 20, "{} blocks of {}", blocks.len(), size);
        heap_check(pool);
        for block in blocks {
            assert_eq!(pool.free(block, size), OK);
        }
        assert_eq!(pool.stat(Stat::BytesAllocated), 0);
        for large in [1u32 << 20, 12 << 20] {
            let block = pool.alloc(large);
            assert_ne!(block, 0, "{} bytes after freeing every {}-byte block", large, size);
            assert_eq!(pool.free(block, large), OK);
        }
        heap_check(pool);
    }
}

#[test]
fn a_poisoned_pool_refuses_every_call_in_every_thread_and_never_hangs() {
    let pool = new_pool(8 << 20, 8 << 20);
    let block = pool.alloc(4096);
    // Poison while this thread holds the lock, as a trap inside the allocator would leave it.
    pool.inspect(|_| {
        let waiter = std::thread::spawn(move || pool.alloc(64));
        std::thread::sleep(std::time::Duration::from_millis(20));
        pool.poison();
        assert_eq!(waiter.join().unwrap(), POISONED);
    });
    assert!(pool.is_poisoned());
    assert_eq!(pool.alloc(64), POISONED);
    assert_eq!(pool.free(block, 4096), POISONED);
    assert_eq!(pool.realloc(block, 4096, 8192), POISONED);
    assert_eq!(pool.init(1000, 8 << 20), POISONED);
    assert!(pool.inspect(|_| ()).is_none());
    assert_eq!(pool.stat(Stat::BytesAllocated), 4096);
}

#[test]
fn the_last_block_grows_into_new_memory_without_moving() {
    // Limit 64 MiB, starting small: a buffer that keeps growing at the end of the heap must
    // reach most of the limit, not half of it (a move would need old and new at once).
    let pool = new_pool(64 << 20, 64 << 20);
    let a = pool.alloc(1 << 20);
    bytes(pool, a, 1 << 20).fill(9);
    let mut size = 1u32 << 20;
    let mut block = a;
    while size < (60 << 20) {
        let next = size + (4 << 20);
        block = pool.realloc(block, size, next);
        assert_eq!(block, a, "grew from {} to {} bytes in place", size, next);
        size = next;
    }
    assert!(bytes(pool, block, 1 << 20).iter().all(|&b| b == 9));
    heap_check(pool);
}
