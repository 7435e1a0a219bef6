//! What the native tests share: a memory that grows like a wasm memory, a parking that yields,
//! pools leaked so that threads can share them, and a deterministic random generator.

use std::alloc::{alloc_zeroed, Layout};
use std::sync::atomic::AtomicU32;
use std::sync::OnceLock;
use std::time::Instant;

use crate::heap::{Memory, OK};
use crate::lock::Parking;
use crate::pool::Pool;
use crate::stats::Stat;

const PAGE: u64 = 65536;

/// A memory reserved up front that grows a page at a time, like a wasm memory.
pub struct TestMemory {
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

pub struct Yield;

impl Parking for Yield {
    fn wait(_: &AtomicU32, _: u32) {
        std::thread::yield_now();
    }
    fn wake(_: &AtomicU32) {}
    fn now_ms() -> f64 {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

pub type TestPool = Pool<Yield, TestMemory>;

/// A pool over `reserved` bytes that may grow to `limit`, whose lock waits at most `timeout_ms`.
pub fn pool_with_timeout(reserved: u64, limit: u64, timeout_ms: u32) -> &'static TestPool {
    let pool = Box::leak(Box::new(Pool::new(TestMemory::new(reserved))));
    assert_eq!(pool.init(1000, limit, timeout_ms), 1);
    pool
}

pub fn new_pool(reserved: u64, limit: u64) -> &'static TestPool {
    pool_with_timeout(reserved, limit, 10_000)
}

/// A pool of `limit` bytes with a thread cache holding one freed 4096-byte block: the pool,
/// the cache's ticket and the block (for tests that the heap leaves the caches alone).
pub fn pool_with_a_cached_block(limit: u64) -> (&'static TestPool, u32, u32) {
    let pool = new_pool(limit, limit);
    let ticket = pool.attach(0);
    let block = pool.alloc(ticket, 4096);
    assert_eq!(pool.free(ticket, block, 4096), OK);
    (pool, ticket, block)
}

/// Checks the heap's invariants; returns the bytes in free blocks.
pub fn heap_check(pool: &TestPool) -> u64 {
    pool.inspect(|heap| heap.check()).unwrap()
}

/// The bytes of a block. The memory's base is read without the lock (a test reserves the memory
/// up front), so that looking at a block does not take the lock the code under test avoids.
pub fn bytes(pool: &TestPool, offset: u32, size: u32) -> &'static mut [u8] {
    let base = pool.settings.base.load(std::sync::atomic::Ordering::Relaxed);
    unsafe { std::slice::from_raw_parts_mut((base + offset as usize) as *mut u8, size as usize) }
}

/// `steps` random allocations and frees of `size()` bytes through `ticket`, each block filled
/// with its own byte and checked when freed (a block handed out twice shows), the pool swept
/// every `sweep_every` steps if given; frees what is left at the end.
pub fn churn(pool: &'static TestPool, ticket: u32, seed: u64, steps: u32, size: impl Fn(&mut Rng) -> u32, sweep_every: Option<u32>) {
    let mut rng = Rng(seed);
    let mut live: Vec<(u32, u32, u8)> = Vec::new();
    for step in 0..steps {
        if rng.below(2) == 0 || live.is_empty() {
            let size = size(&mut rng);
            let block = pool.alloc(ticket, size);
            assert!(block >= 64, "alloc failed with {}", block);
            let fill = (step as u8) ^ (seed as u8).wrapping_mul(0x55);
            bytes(pool, block, size).fill(fill);
            live.push((block, size, fill));
        } else {
            let (block, size, fill) = live.swap_remove(rng.below(live.len() as u64) as usize);
            assert!(bytes(pool, block, size).iter().all(|&b| b == fill), "a block was handed out twice");
            assert_eq!(pool.free(ticket, block, size), OK);
        }
        if sweep_every.map_or(false, |every| step % every == 0) {
            assert_eq!(pool.release_unused(0), OK);
        }
    }
    for (block, size, _) in live {
        assert_eq!(pool.free(ticket, block, size), OK);
    }
}

/// Runs `work(i)` for `i` in `0..threads`, each on a thread of its own, all at once, and waits
/// for them.
pub fn on_threads(threads: u64, work: impl Fn(u64) + Copy + Send + 'static) {
    let handles: Vec<_> = (0..threads).map(|i| std::thread::spawn(move || work(i))).collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

/// Checks that every byte came back: nothing allocated, and with the caches emptied the heap
/// holds together.
pub fn assert_all_freed(pool: &TestPool) {
    assert_eq!(pool.stat(Stat::BytesAllocated), 0);
    pool.release_unused(0);
    heap_check(pool);
}

/// A tiny deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Mostly small sizes, some large ones, now and then a huge one; multiples of 64.
    pub fn size(&mut self) -> u32 {
        let raw = match self.below(10) {
            0..=5 => self.below(1100),
            6..=8 => self.below(70_000),
            _ => self.below(700_000),
        };
        ((raw + 63) / 64 * 64) as u32
    }
}
