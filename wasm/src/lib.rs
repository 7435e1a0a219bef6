//! The allocator behind nativefile's wasm memory pool.
//!
//! One instance of this module runs on every thread (page, workers, Node `worker_threads`), all
//! on one shared `WebAssembly.Memory`. Everything the allocator knows lives in that memory, in
//! the static `POOL`, so any thread allocates and frees synchronously and all
//! see the same statistics. The code keeps no data on the shadow stack (it is linked with a
//! zero-size stack, so any use would trap): instances share one stack pointer value.
//!
//! The C ABI (sizes in bytes, multiples of 64; offsets are addresses in the memory):
//! `nf_init(limit_pages, lock_timeout_ms) -> 1 | 0 | 3`, `nf_attach(host_id) -> ticket | 0 | 3`
//! (a thread's cache, cache.rs; 0 means none), `nf_detach(ticket)`,
//! `nf_alloc(ticket, size) -> offset | 0 | 3 | 4`,
//! `nf_realloc(ticket, offset, old, new) -> offset | code`, `nf_free(ticket, offset, size) -> code`,
//! `nf_release_unused(ticket) -> code`, `nf_poison()`, `nf_poison_cause()`, `nf_host_id(slot)`,
//! and the statistics `nf_bytes_allocated`, `nf_max_memory`, `nf_num_allocations`,
//! `nf_memory_size`, `nf_limit` (readable even when poisoned). Codes (below 64, so never an
//! offset): 0 out of memory (for `nf_free`: done), 1 double free, 2 not a live block (foreign),
//! 3 poisoned, 4 the ticket's cache went to another thread (attach again; nothing was done).
//! The embedder calls `nf_poison` when a call traps. The module imports
//! `env.nf_wait(address, expected)`, `env.nf_notify(address)` and `env.nf_now() -> ms` so that
//! each thread parks the way its host allows and no wait is unbounded.

#![cfg_attr(target_arch = "wasm32", no_std)]

pub mod blocks;
pub mod cache;
pub mod heap;
pub mod large;
pub mod lock;
pub mod placement;
pub mod pool;
pub mod slab_lists;
pub mod slabs;
pub mod states;
pub mod stats;
pub mod tlsf;

#[cfg(test)]
mod tests;

/// Stops the thread with a trap (wasm) or a panic (native tests).
#[cold]
pub fn trap() -> ! {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
    #[cfg(not(target_arch = "wasm32"))]
    panic!("heap corruption detected");
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use core::sync::atomic::AtomicU32;

    use crate::heap::Memory;
    use crate::lock::Parking;
    use crate::pool::Pool;
    use crate::stats::Stat;

    const PAGE: u64 = 65536;

    extern "C" {
        static __heap_base: u8;
        fn nf_wait(address: u32, expected: u32);
        fn nf_notify(address: u32);
        fn nf_now() -> f64;
    }

    pub struct LinearMemory;

    impl Memory for LinearMemory {
        fn base(&self) -> usize {
            0
        }

        fn size(&self) -> u64 {
            core::arch::wasm32::memory_size(0) as u64 * PAGE
        }

        fn grow(&mut self, bytes: u64) -> bool {
            core::arch::wasm32::memory_grow(0, (bytes / PAGE) as usize) != usize::MAX
        }
    }

    pub struct HostParking;

    impl Parking for HostParking {
        fn wait(word: &AtomicU32, expected: u32) {
            // SAFETY: the host only reads the address and value.
            unsafe { nf_wait(word as *const AtomicU32 as u32, expected) }
        }

        fn wake(word: &AtomicU32) {
            // SAFETY: as above.
            unsafe { nf_notify(word as *const AtomicU32 as u32) }
        }

        fn now_ms() -> f64 {
            // SAFETY: a clock read.
            unsafe { nf_now() }
        }
    }

    static POOL: Pool<HostParking, LinearMemory> = Pool::new(LinearMemory);

    #[no_mangle]
    pub extern "C" fn nf_init(limit_pages: u32, lock_timeout_ms: u32) -> u32 {
        // SAFETY: taking the address of a linker-defined symbol.
        let heap_base = unsafe { &__heap_base as *const u8 as u32 };
        POOL.init(heap_base, limit_pages as u64 * PAGE, lock_timeout_ms)
    }

    #[no_mangle]
    pub extern "C" fn nf_attach(host_id: u32) -> u32 {
        POOL.attach(host_id)
    }

    #[no_mangle]
    pub extern "C" fn nf_detach(ticket: u32) {
        POOL.detach(ticket)
    }

    #[no_mangle]
    pub extern "C" fn nf_alloc(ticket: u32, size: u32) -> u32 {
        POOL.alloc(ticket, size)
    }

    #[no_mangle]
    pub extern "C" fn nf_realloc(ticket: u32, offset: u32, old_size: u32, new_size: u32) -> u32 {
        POOL.realloc(ticket, offset, old_size, new_size)
    }

    #[no_mangle]
    pub extern "C" fn nf_free(ticket: u32, offset: u32, size: u32) -> u32 {
        POOL.free(ticket, offset, size)
    }

    #[no_mangle]
    pub extern "C" fn nf_release_unused(ticket: u32) -> u32 {
        POOL.release_unused(ticket)
    }

    #[no_mangle]
    pub extern "C" fn nf_poison() {
        POOL.poison()
    }

    #[no_mangle]
    pub extern "C" fn nf_poison_cause() -> u32 {
        POOL.poison_cause()
    }

    #[no_mangle]
    pub extern "C" fn nf_host_id(slot: u32) -> u32 {
        POOL.host_id(slot)
    }

    #[no_mangle]
    pub extern "C" fn nf_bytes_allocated() -> f64 {
        POOL.stat(Stat::BytesAllocated) as f64
    }

    #[no_mangle]
    pub extern "C" fn nf_max_memory() -> f64 {
        POOL.stat(Stat::MaxMemory) as f64
    }

    #[no_mangle]
    pub extern "C" fn nf_num_allocations() -> f64 {
        POOL.stat(Stat::NumAllocations) as f64
    }

    #[no_mangle]
    pub extern "C" fn nf_memory_size() -> f64 {
        POOL.memory_size() as f64
    }

    #[no_mangle]
    pub extern "C" fn nf_limit() -> f64 {
        POOL.limit() as f64
    }
}
