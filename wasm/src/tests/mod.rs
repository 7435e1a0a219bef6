//! Native unit tests of the allocator: `cargo test --release` in wasm/.

mod aligned;
mod caches;
mod heap;
mod large_caches;
mod states;
mod stats;
mod support;
mod thread_death;
