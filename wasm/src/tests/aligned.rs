//! Where blocks start: payloads past `CACHED_LIMIT` on a 4 KiB page where that costs no growth
//! of the memory (aligned.rs), and never a block refused for the sake of alignment.

use super::support::{bytes, heap_check, new_pool, Rng};
use crate::aligned::PAYLOAD_PAGE;
use crate::heap::{GRANULE, OK};
use crate::large::CACHED_LIMIT;

#[test]
fn blocks_past_the_cached_limit_start_on_a_page_among_blocks_of_every_size() {
    let pool = new_pool(256 << 20, 256 << 20);
    let t = pool.attach(0);
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let mut live: Vec<(u32, u32, u8)> = Vec::new();
    let mut large = 0;
    for step in 0..20_000u32 {
        if rng.below(2) == 0 || live.is_empty() {
            let size = rng.size().max(64);
            let offset = pool.alloc(t, size);
            assert!(offset >= 64, "alloc failed with {} at step {}", offset, step);
            if size > CACHED_LIMIT {
                assert_eq!(offset % PAYLOAD_PAGE, 0, "{} bytes at {} (step {})", size, offset, step);
                large += 1;
            }
            let fill = step as u8;
            bytes(pool, offset, size).fill(fill);
            live.push((offset, size, fill));
        } else {
            let (offset, size, fill) = live.swap_remove(rng.below(live.len() as u64) as usize);
            assert!(bytes(pool, offset, size).iter().all(|&b| b == fill), "bytes changed at step {}", step);
            assert_eq!(pool.free(t, offset, size), OK);
        }
        if step % 1000 == 0 {
            heap_check(pool);
        }
    }
    assert!(large > 500, "{} large blocks", large);
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
