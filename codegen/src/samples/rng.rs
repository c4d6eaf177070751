//! A small seeded generator (SplitMix64): the same seed gives the same samples on every machine,
//! and no `rand` dependency reaches the generator library.

/// SplitMix64 (Steele, Lea and Flood): one 64-bit state, good enough spread for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator for one named thing under a seed: the stream does not depend on what was
    /// generated before, so adding a type to a spec leaves the other types' samples unchanged.
    pub fn for_key(seed: u64, key: &str, index: u64) -> Self {
        let mut rng = Rng(seed ^ fnv1a(key));
        rng.0 ^= index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        rng.next_u64();
        rng
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is `0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// `true` with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// FNV-1a over the key's bytes: a stable hash (std's hasher is randomized per process).
pub fn fnv1a(key: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::for_key(7, "#/x", 1);
                move |_| r.next_u64()
            })
            .collect();
        let mut r = Rng::for_key(7, "#/x", 1);
        let b: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(a, b);
        let mut other = Rng::for_key(7, "#/x", 2);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn ranges_stay_inside() {
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            let v = r.range(3, 5);
            assert!((3..=5).contains(&v));
        }
        assert_eq!(r.range(9, 2), 9);
        assert_eq!(r.below(0), 0);
    }
}
