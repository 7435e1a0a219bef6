//! Where small blocks' states live: the slab geometry that `locate` and the state maps rely on.

#[test]
fn block_indexes_by_reciprocal_match_division() {
    use crate::states::{blocks_per_slab, SLAB_HEADER};
    for size in (64..=1024).step_by(64) {
        assert_eq!(blocks_per_slab(size), (16384 - SLAB_HEADER) / size, "size {}", size);
    }
}

#[test]
fn state_maps_of_slabs_a_power_of_two_apart_lie_at_different_offsets_inside_the_header() {
    use crate::states::{states_of, SLAB_HEADER, SLAB_SPAN, STATE_WORDS};
    for index in 1..64u32 {
        let slab = index * SLAB_SPAN;
        let map = states_of(slab) - slab;
        assert!(map >= 64 && map + 4 * STATE_WORDS <= SLAB_HEADER, "slab {}: map at +{}", index, map);
        for apart in [1, 2, 4, 8, 16, 32, 64, 128] {
            let other = slab + apart * SLAB_SPAN;
            assert_ne!(states_of(other) - other, map, "slabs {} and {}", index, index + apart);
        }
    }
}
