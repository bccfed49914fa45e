//! Random ids: span and trace ids, and the draws of sampling and jitter. A leaf module, so
//! that the wire's tracing field, the channel, tracing and Hyperbahn can all use it without
//! reaching into one another.

use std::cell::Cell;
use std::hash::{BuildHasher, Hasher};

/// A fresh random id for a root span (63 bits, as Go uses): xorshift64* per thread, seeded
/// once from the OS-randomised `RandomState` (hashing a fresh state per call cost ~2% of a call).
pub(crate) fn random_id() -> u64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(0x9e37_79b9_7f4a_7c15);
            h.finish() | 1
        });
    }
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 1).max(1)
    })
}

/// A uniform draw in `[0, 1)` with 52 bits of precision (sampling, jitter).
pub(crate) fn unit_random() -> f64 {
    (random_id() >> 11) as f64 / (1u64 << 52) as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn span_ids_are_distinct_nonzero_63_bit() {
        let ids: std::collections::HashSet<u64> =
            (0..100_000).map(|_| super::random_id()).collect();
        assert_eq!(ids.len(), 100_000);
        assert!(ids.iter().all(|&id| id != 0 && id < 1 << 63));
        // Another thread gets its own sequence.
        let other = std::thread::spawn(super::random_id).join().unwrap();
        assert!(other != 0 && other < 1 << 63);
    }

    #[test]
    fn unit_random_is_in_zero_one() {
        assert!((0..10_000)
            .map(|_| super::unit_random())
            .all(|u| (0.0..1.0).contains(&u)));
    }
}
