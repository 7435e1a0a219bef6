//! Native unit tests of the allocator: `cargo test --release` in wasm/.

mod caches;
mod full_heap;
mod heap;
mod large_caches;
mod placement;
mod states;
mod stats;
mod support;
mod thread_death;
