//! Native unit tests of the allocator: `cargo test --release` in wasm/.

mod caches;
mod heap;
mod large_caches;
mod stats;
mod support;
mod thread_death;
