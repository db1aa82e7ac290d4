//! Counter-based random numbers keyed by (seed, object, site, element, step).
//!
//! Every random draw in a simulation is a pure function of its key, so results do not depend on
//! the number of threads, on the order in which elements are visited, or on the backend: the
//! interpreter and the JIT call these same functions. The generator hashes the key with
//! SplitMix64/`fmix64`-style avalanche rounds; `uniform` takes the top 53 bits. Brian2's own
//! streams (numpy's Mersenne Twister) are not reproduced: stochastic models are compared with
//! Brian2 statistically.

/// One 64-bit avalanche round (the SplitMix64 finaliser).
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The 64 random bits for a key. Each key component is absorbed with its own odd constant and a
/// full avalanche round, so keys differing in any component give unrelated outputs.
#[inline]
pub fn bits(seed: u64, object: u64, site: u64, element: u64, step: u64) -> u64 {
    let mut h = mix(seed ^ 0x9e37_79b9_7f4a_7c15);
    h = mix(h ^ object.wrapping_mul(0xd1b5_4a32_d192_ed03));
    h = mix(h ^ site.wrapping_mul(0xabc9_8388_fb8f_ac03));
    h = mix(h ^ element.wrapping_mul(0x8cb9_2ba7_2f3d_8dd7));
    mix(h ^ step.wrapping_mul(0x9e6c_63d0_676a_9a99))
}

/// A uniform number in `[0, 1)` with 53 random bits.
#[inline]
pub fn uniform(seed: u64, object: u64, site: u64, element: u64, step: u64) -> f64 {
    (bits(seed, object, site, element, step) >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

/// A standard normal number (Box–Muller on two uniforms derived from the key).
#[inline]
pub fn normal(seed: u64, object: u64, site: u64, element: u64, step: u64) -> f64 {
    // Two independent sub-streams of the same key: the site with its top bit clear and set.
    let u1 = uniform(seed, object, site, element, step);
    let u2 = uniform(seed, object, site | (1 << 63), element, step);
    // 1 - u1 lies in (0, 1], so the logarithm is finite.
    (-2.0 * (1.0 - u1).ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A seed from the operating system's entropy, for runs without `seed(...)`.
pub fn fresh_seed() -> u64 {
    rand::random::<u64>() >> 1
}

/// A stable 64-bit hash of a name (FNV-1a), used as the object part of random keys so that a
/// group's streams depend on its name, not on creation order in memory.
pub fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_moments_match_u01() {
        // Mean 1/2 and variance 1/12; with n = 200000 the standard error of the mean is
        // sqrt(1/12/n) = 6.5e-4, so 5e-3 is over 7 standard errors.
        let n = 200_000u64;
        let xs: Vec<f64> = (0..n).map(|e| uniform(1, 2, 3, e, 7)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 5e-3, "mean {mean}");
        assert!((var - 1.0 / 12.0).abs() < 2e-3, "var {var}");
        assert!(xs.iter().all(|&x| (0.0..1.0).contains(&x)));
    }

    #[test]
    fn normal_moments_match_n01() {
        // Standard error of the mean 1/sqrt(n) = 2.2e-3; of the variance sqrt(2/n) = 3.2e-3.
        let n = 200_000u64;
        let xs: Vec<f64> = (0..n).map(|s| normal(5, 1, 0, 3, s)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 1.5e-2, "mean {mean}");
        assert!((var - 1.0).abs() < 2e-2, "var {var}");
    }

    #[test]
    fn keys_are_independent_components() {
        let base = bits(1, 2, 3, 4, 5);
        assert_ne!(base, bits(2, 2, 3, 4, 5));
        assert_ne!(base, bits(1, 3, 3, 4, 5));
        assert_ne!(base, bits(1, 2, 4, 4, 5));
        assert_ne!(base, bits(1, 2, 3, 5, 5));
        assert_ne!(base, bits(1, 2, 3, 4, 6));
        assert_eq!(base, bits(1, 2, 3, 4, 5));
    }
}
