//! Counter-based random numbers keyed by (seed, object, site, element, step).
//!
//! Every random draw in a simulation is a pure function of its key, so results do not depend on
//! the number of threads, on the order in which elements are visited, or on the backend: the
//! interpreter and the JIT call these same functions. The key is absorbed in two stages:
//! [`stream`] hashes (seed, object, site, step) with one SplitMix64/`fmix64` avalanche round per
//! component, and [`draw`] turns a stream and an element into 64 bits with one more round over
//! `stream + element·γ` (SplitMix64's own output function, with the stream as its seed). The
//! first stage does not depend on the element, so a kernel computes it once per call and each
//! element costs one round. `uniform` takes the top 53 bits; `normal` is a 1024-layer ziggurat
//! (Marsaglia & Tsang 2000, in Doornik's 2005 symmetric form), which needs one 64-bit word in
//! 99.6% of draws and no logarithm or cosine; `exponential_at` (`connect`'s geometric skips) is
//! a ziggurat of the same size under `exp(-x)`. Brian2's own streams (numpy's Mersenne Twister)
//! are not reproduced: stochastic models are compared with Brian2 statistically.

use std::sync::LazyLock;

/// The multipliers of [`mix`] (the JIT inlines the same round).
pub const MIX_MUL: [u64; 2] = [0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb];
/// The shifts of [`mix`].
pub const MIX_SHIFT: [u32; 3] = [30, 27, 31];

/// One 64-bit avalanche round (the SplitMix64 finaliser).
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> MIX_SHIFT[0])).wrapping_mul(MIX_MUL[0]);
    z = (z ^ (z >> MIX_SHIFT[1])).wrapping_mul(MIX_MUL[1]);
    z ^ (z >> MIX_SHIFT[2])
}

/// SplitMix64's increment (the golden ratio in 64 bits).
pub const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The stream of one random site in one step: everything in the key except the element. Each
/// component is absorbed with its own odd constant and a full avalanche round, so keys
/// differing in any component give unrelated streams.
#[inline]
pub fn stream(seed: u64, object: u64, site: u64, step: u64) -> u64 {
    let mut h = mix(seed ^ GAMMA);
    h = mix(h ^ object.wrapping_mul(0xd1b5_4a32_d192_ed03));
    h = mix(h ^ site.wrapping_mul(0xabc9_8388_fb8f_ac03));
    mix(h ^ step.wrapping_mul(0x9e6c_63d0_676a_9a99))
}

/// The 64 random bits of one element of a stream.
#[inline]
pub fn draw(stream: u64, element: u64) -> u64 {
    mix(stream.wrapping_add(element.wrapping_mul(GAMMA)))
}

/// The 64 random bits for a key: `draw(stream(seed, object, site, step), element)`.
#[inline]
pub fn bits(seed: u64, object: u64, site: u64, element: u64, step: u64) -> u64 {
    draw(stream(seed, object, site, step), element)
}

/// `2^-53`: [`unit`] scales the top 53 bits of a word by it.
pub const UNIT_SCALE: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The top 53 bits of a word as a number in `[0, 1)`.
#[inline]
fn unit(word: u64) -> f64 {
    (word >> 11) as f64 * UNIT_SCALE
}

/// A uniform number in `[0, 1)` with 53 random bits.
#[inline]
pub fn uniform(seed: u64, object: u64, site: u64, element: u64, step: u64) -> f64 {
    uniform_at(stream(seed, object, site, step), element)
}

/// [`uniform`] from a precomputed [`stream`].
#[inline]
pub fn uniform_at(stream: u64, element: u64) -> f64 {
    unit(draw(stream, element))
}

/// A standard normal number.
#[inline]
pub fn normal(seed: u64, object: u64, site: u64, element: u64, step: u64) -> f64 {
    normal_at(stream(seed, object, site, step), element)
}

/// The number of ziggurat layers (a power of two: the layer is the low 10 bits of a word,
/// below the 53 bits that make its uniform). With 256 layers (Marsaglia & Tsang's table)
/// 1.5% of draws leave the inline fast path for a call and an `exp`; with 1024, 0.43%
/// (`tools/ziggurat.py` prints both), for tables of 16 KB.
const LAYERS: usize = 1024;
/// `word & LAYER_MASK` is a word's layer.
pub const LAYER_MASK: u64 = LAYERS as u64 - 1;
/// The right edge of the base layer, where the tail begins, and the area of every layer under
/// `exp(-x²/2)`: the pair for which the layers close at the top (`tools/ziggurat.py 1024`,
/// which gives Marsaglia & Tsang's 3.6541528853610088 for 256 layers).
const ZIG_R: f64 = 4.038_849_846_109_504;
/// See [`ZIG_R`].
const ZIG_V: f64 = 0.001_226_324_646_353_089_3;

/// The same for the exponential ziggurat of [`exponential_at`], under `exp(-x)`
/// (`tools/ziggurat.py 1024 exponential`, which gives Marsaglia & Tsang's 7.69711747013104972
/// for 256 layers); 0.64% of its draws leave the fast path.
const EXP_R: f64 = 9.256_164_544_265_543;
/// See [`EXP_R`].
const EXP_V: f64 = 0.000_979_678_990_662_021_5;

/// A ziggurat's layer edges `x[0..=LAYERS]` and its density `f` at each.
struct Ziggurat {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

impl Ziggurat {
    /// The table of density `f` (with inverse `f_inv`) for the pair (R, V): layer `i` spans
    /// `[0, x[i]]` between the heights `f[i]` and `f[i+1]`, so `x[i]·(f[i+1] − f[i]) = V`;
    /// `x[0] = V/f(R)` makes the base layer (rectangle plus tail) the same area.
    fn new(f: fn(f64) -> f64, f_inv: fn(f64) -> f64, r: f64, v: f64) -> Ziggurat {
        let mut x = [0.0; LAYERS + 1];
        x[0] = v / f(r);
        x[1] = r;
        for i in 1..LAYERS - 1 {
            x[i + 1] = f_inv(v / x[i] + f(x[i]));
        }
        x[LAYERS] = 0.0;
        let mut fx = [0.0; LAYERS + 1];
        for (fi, xi) in fx.iter_mut().zip(x) {
            *fi = f(xi);
        }
        Ziggurat { x, f: fx }
    }
}

/// The normal ziggurat, built once per process from `ZIG_R` and `ZIG_V`.
static ZIGGURAT: LazyLock<Ziggurat> = LazyLock::new(|| {
    Ziggurat::new(
        |x| (-0.5 * x * x).exp(),
        |y| (-2.0 * y.ln()).sqrt(),
        ZIG_R,
        ZIG_V,
    )
});

/// The exponential ziggurat, built once per process from `EXP_R` and `EXP_V`.
static EXP_ZIGGURAT: LazyLock<Ziggurat> =
    LazyLock::new(|| Ziggurat::new(|x| (-x).exp(), |y| -y.ln(), EXP_R, EXP_V));

/// The normal ziggurat's layer edges `x[0..=LAYERS]`: a word's fast path is
/// `x = (2·unit(word) − 1)·x[i]` for `i = word & LAYER_MASK`, accepted when `|x| < x[i + 1]`.
/// The JIT inlines that path and calls [`normal_from_word`] for the rest.
pub fn ziggurat_edges() -> &'static [f64; LAYERS + 1] {
    &ZIGGURAT.x
}

/// [`normal`] from a precomputed [`stream`]: a ziggurat over the element's word; the rare
/// rejections and tail draws take further words `mix(word + k·γ)`, k = 1, 2, ...
#[inline]
pub fn normal_at(stream: u64, element: u64) -> f64 {
    normal_from_word(draw(stream, element))
}

/// [`normal_at`] given the element's word `draw(stream, element)`.
#[inline]
pub fn normal_from_word(first: u64) -> f64 {
    let z = &*ZIGGURAT;
    let i = (first & LAYER_MASK) as usize;
    let u = 2.0 * unit(first) - 1.0;
    // The rectangle of layer i under the curve: |x| < x[i+1] (`u·x[i]` keeps the common case
    // to one multiply and one compare).
    let x = u * z.x[i];
    if x.abs() < z.x[i + 1] {
        return x;
    }
    normal_slow(z, first)
}

/// The further words of a draw whose first word `first` a ziggurat rejected:
/// `mix(first + k·γ)` for k = 1, 2, ...
fn retries(first: u64) -> impl FnMut() -> u64 {
    let mut k = 0u64;
    move || {
        k += 1;
        mix(first.wrapping_add(k.wrapping_mul(GAMMA)))
    }
}

/// The ziggurat's wedges and tail, and its loop after a rejection.
#[cold]
fn normal_slow(z: &Ziggurat, first: u64) -> f64 {
    let mut next = retries(first);
    let mut word = first;
    loop {
        let i = (word & LAYER_MASK) as usize;
        let u = 2.0 * unit(word) - 1.0;
        let x = u * z.x[i];
        if x.abs() < z.x[i + 1] {
            return x;
        }
        if i == 0 {
            // The tail beyond R (Marsaglia 1964): 1 − U lies in (0, 1], so the logarithms
            // are finite.
            loop {
                let a = -(1.0 - unit(next())).ln() / ZIG_R;
                let b = -(1.0 - unit(next())).ln();
                if 2.0 * b > a * a {
                    return (ZIG_R + a).copysign(u);
                }
            }
        }
        // The wedge between the rectangle and the curve.
        let y = z.f[i] + unit(next()) * (z.f[i + 1] - z.f[i]);
        if y < (-0.5 * x * x).exp() {
            return x;
        }
        word = next();
    }
}

/// An exponential number with mean 1 for element `element` of a [`stream`]: a ziggurat over
/// the element's word (Marsaglia & Tsang 2000), `x = unit(word)·x[i]` for its layer `i`,
/// accepted when `x < x[i + 1]` (99.4% of words), without a logarithm; the rest take further
/// words `mix(word + k·γ)` as [`normal_at`] does. `connect`'s geometric skips are
/// `floor(x / −ln(1 − p))`: `P(skip ≥ k) = P(x ≥ −k·ln(1 − p)) = (1 − p)^k`.
#[inline]
pub fn exponential_at(stream: u64, element: u64) -> f64 {
    Exponential::table().at(stream, element)
}

/// [`exponential_at`] with its table looked up once, for loops that draw many numbers (the
/// lookup of a lazily built table is an atomic load and a branch per call otherwise).
#[derive(Clone, Copy)]
pub struct Exponential(&'static Ziggurat);

impl Exponential {
    /// The exponential ziggurat (built on first use).
    pub fn table() -> Exponential {
        Exponential(&EXP_ZIGGURAT)
    }

    /// `exponential_at(stream, element)`.
    #[inline]
    pub fn at(self, stream: u64, element: u64) -> f64 {
        let first = draw(stream, element);
        let z = self.0;
        let i = (first & LAYER_MASK) as usize;
        let x = unit(first) * z.x[i];
        if x < z.x[i + 1] {
            return x;
        }
        exponential_slow(z, first)
    }
}

/// The exponential ziggurat's wedges and tail, and its loop after a rejection.
#[cold]
fn exponential_slow(z: &Ziggurat, first: u64) -> f64 {
    let mut next = retries(first);
    let mut word = first;
    // The tail beyond R is R plus a fresh exponential number (the distribution forgets).
    let mut offset = 0.0;
    loop {
        let i = (word & LAYER_MASK) as usize;
        let x = unit(word) * z.x[i];
        if x < z.x[i + 1] {
            return offset + x;
        }
        if i == 0 {
            offset += EXP_R;
        } else {
            // The wedge between the rectangle and the curve.
            let y = z.f[i] + unit(next()) * (z.f[i + 1] - z.f[i]);
            if y < (-x).exp() {
                return offset + x;
            }
        }
        word = next();
    }
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

    /// Pearson's chi-square of `xs` against N(0, 1) over 32 bins of width 0.25 on [-4, 4] and
    /// the two tails; bin probabilities by Simpson's rule on the density (error below 1e-12).
    fn chi_square_vs_normal(xs: &[f64]) -> f64 {
        let density = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let simpson = |a: f64, b: f64| {
            let m = 200;
            let h = (b - a) / f64::from(m);
            let mut s = density(a) + density(b);
            for k in 1..m {
                s += density(a + f64::from(k) * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
            }
            s * h / 3.0
        };
        let mut probs: Vec<f64> = (0..32)
            .map(|k| simpson(-4.0 + 0.25 * f64::from(k), -3.75 + 0.25 * f64::from(k)))
            .collect();
        let tail = (1.0 - probs.iter().sum::<f64>()) / 2.0;
        probs.push(tail);
        probs.push(tail);
        let mut counts = vec![0u64; 34];
        for &x in xs {
            let bin = if x < -4.0 {
                32
            } else if x >= 4.0 {
                33
            } else {
                (((x + 4.0) / 0.25) as usize).min(31)
            };
            counts[bin] += 1;
        }
        let n = xs.len() as f64;
        counts
            .iter()
            .zip(&probs)
            .map(|(&c, &p)| (c as f64 - n * p).powi(2) / (n * p))
            .sum()
    }

    #[test]
    fn normal_matches_n01_across_elements_and_steps() {
        // 34 bins, 33 degrees of freedom: the chi-square's mean is 33 and P(> 70) is about 2e-4.
        let n = 1_000_000u64;
        for (label, xs) in [
            (
                "elements",
                (0..n).map(|e| normal(5, 1, 0, e, 3)).collect::<Vec<_>>(),
            ),
            (
                "steps",
                (0..n).map(|s| normal(7, 2, 4, 11, s)).collect::<Vec<_>>(),
            ),
        ] {
            let chi2 = chi_square_vs_normal(&xs);
            assert!(chi2 < 70.0, "{label}: chi-square {chi2}");
            // Moments: standard errors of the mean 1e-3, of the variance 1.4e-3, of the fourth
            // moment (3) sqrt(96/n) = 9.8e-3; the bounds are 5 standard errors.
            let mean = xs.iter().sum::<f64>() / n as f64;
            let m2 = xs.iter().map(|x| x * x).sum::<f64>() / n as f64;
            let m4 = xs.iter().map(|x| x.powi(4)).sum::<f64>() / n as f64;
            assert!(mean.abs() < 5e-3, "{label}: mean {mean}");
            assert!((m2 - 1.0).abs() < 7e-3, "{label}: variance {m2}");
            assert!((m4 - 3.0).abs() < 5e-2, "{label}: fourth moment {m4}");
        }
    }

    #[test]
    fn normal_tail_beyond_the_base_layer_has_its_mass() {
        // P(|x| > R) for R = 4.038849846109504 is erfc(R/sqrt 2) = 5.3714e-5 (Python's
        // math.erfc, `tools/ziggurat.py`); over 1.6e7 draws that is 859.4 expected, standard
        // deviation 29.3; the bound is 5 of them.
        let n = 16_000_000u64;
        let beyond = (0..n)
            .filter(|&e| normal(9, 3, 1, e, 0).abs() > ZIG_R)
            .count() as f64;
        assert!((beyond - 859.4).abs() < 147.0, "{beyond} draws beyond R");
    }

    #[test]
    fn ziggurat_layers_close_at_the_top() {
        // The recurrence ends at x[LAYERS - 1]; the top layer must reach height 1 (x = 0) with
        // the same area V, which holds only for the matching pair (R, V).
        for (z, v) in [(&*ZIGGURAT, ZIG_V), (&*EXP_ZIGGURAT, EXP_V)] {
            let top = z.f[LAYERS - 1] + v / z.x[LAYERS - 1];
            assert!((top - 1.0).abs() < 1e-9, "top layer reaches {top}");
            assert!(z.x.windows(2).all(|w| w[0] > w[1]));
        }
    }

    #[test]
    fn exponential_matches_exp1() {
        // 40 bins of equal probability 1/40 under Exp(1) (edges -ln(1 - k/40)), 39 degrees
        // of freedom: the chi-square's mean is 39 and P(> 80) is about 1e-4.
        let n = 1_000_000u64;
        let stream = stream(13, 6, 2, 9);
        let xs: Vec<f64> = (0..n).map(|e| exponential_at(stream, e)).collect();
        let bins = 40;
        let mut counts = vec![0u64; bins];
        for &x in &xs {
            assert!(x >= 0.0 && x.is_finite(), "{x}");
            let k = ((1.0 - (-x).exp()) * bins as f64) as usize;
            counts[k.min(bins - 1)] += 1;
        }
        let expected = n as f64 / bins as f64;
        let chi2: f64 = counts
            .iter()
            .map(|&c| (c as f64 - expected).powi(2) / expected)
            .sum();
        assert!(chi2 < 80.0, "chi-square {chi2}");
        // Mean 1 and variance 1: standard errors 1e-3 and sqrt(8/n) = 2.8e-3; bounds of 5.
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 5e-3, "mean {mean}");
        assert!((var - 1.0).abs() < 1.4e-2, "variance {var}");
    }

    #[test]
    fn exponential_slow_path_draws_what_the_rectangles_leave() {
        // Words that fail the rectangle test take the wedges, the tail and the retries. Their
        // numbers must follow Exp(1) minus the rectangles' share: the rectangles accept, in
        // layer i (probability 1/LAYERS), x uniform on [0, x[i+1]) with probability
        // x[i+1]/x[i], so the slow path's mean is (1 − Σ x[i+1]²/(2·x[i]·L)) / (1 − P_fast)
        // (an error in the wedge or tail code moves it by many standard errors).
        let z = &*EXP_ZIGGURAT;
        let l = LAYERS as f64;
        let p_fast: f64 = (0..LAYERS).map(|i| z.x[i + 1] / z.x[i] / l).sum();
        let m1_fast: f64 = (0..LAYERS)
            .map(|i| z.x[i + 1] * z.x[i + 1] / (2.0 * z.x[i]) / l)
            .sum();
        let want = (1.0 - m1_fast) / (1.0 - p_fast);
        let stream = stream(21, 8, 0, 2);
        let slow: Vec<f64> = (0..16_000_000u64)
            .filter(|&e| {
                let w = draw(stream, e);
                let i = (w & LAYER_MASK) as usize;
                unit(w) * z.x[i] >= z.x[i + 1]
            })
            .map(|e| exponential_at(stream, e))
            .collect();
        let n = slow.len() as f64;
        assert!(n > 50_000.0, "{n} slow draws");
        let mean = slow.iter().sum::<f64>() / n;
        let sd = (slow.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        let se = sd / n.sqrt();
        assert!(
            (mean - want).abs() < 5.0 * se,
            "mean {mean}, want {want} ± {se}"
        );
    }

    #[test]
    fn exponential_tail_beyond_the_base_layer_has_its_mass() {
        // P(x > R) = exp(-R) = 9.552e-5 for R = 9.256164544265543 (`tools/ziggurat.py`); over
        // 1.6e7 draws that is 1528.3 expected, standard deviation 39.1; the bound is 5 of them.
        // Draws beyond 2R come from the tail's second round.
        let n = 16_000_000u64;
        let stream = stream(3, 1, 4, 1);
        let (mut beyond, mut far) = (0u64, 0u64);
        for e in 0..n {
            let x = exponential_at(stream, e);
            beyond += u64::from(x > EXP_R);
            far += u64::from(x > 1.1 * EXP_R);
        }
        assert!(
            (beyond as f64 - 1528.3).abs() < 196.0,
            "{beyond} draws beyond R"
        );
        // P(x > 1.1 R) = exp(-1.1 R) = 3.79e-5: 605.7 expected, sd 24.6.
        assert!(
            (far as f64 - 605.7).abs() < 123.0,
            "{far} draws beyond 1.1 R"
        );
    }

    #[test]
    fn neighbouring_elements_and_steps_are_uncorrelated() {
        // Standard error of a correlation over n pairs is 1/sqrt(n) = 1e-3; bound 5e-3.
        let n = 1_000_000u64;
        let corr = |f: &dyn Fn(u64) -> (f64, f64)| {
            (0..n)
                .map(|k| {
                    let (a, b) = f(k);
                    a * b
                })
                .sum::<f64>()
                / n as f64
        };
        let s = stream(1, 2, 3, 4);
        let c = corr(&|e| (normal_at(s, e), normal_at(s, e + 1)));
        assert!(c.abs() < 5e-3, "elements {c}");
        let c = corr(&|t| (normal(1, 2, 3, 17, t), normal(1, 2, 3, 17, t + 1)));
        assert!(c.abs() < 5e-3, "steps {c}");
        let c = corr(&|e| (normal(1, 2, 3, e, 9), normal(1, 2, 4, e, 9)));
        assert!(c.abs() < 5e-3, "sites {c}");
        let c = corr(&|e| (uniform_at(s, e) - 0.5, uniform_at(s, e + 1) - 0.5));
        assert!(c.abs() < 5e-3 / 12.0_f64.sqrt(), "uniform elements {c}");
    }

    #[test]
    fn stream_and_draw_compose_to_the_full_key() {
        let s = stream(11, 22, 33, 44);
        assert_eq!(bits(11, 22, 33, 55, 44), draw(s, 55));
        assert_eq!(
            uniform(11, 22, 33, 55, 44).to_bits(),
            uniform_at(s, 55).to_bits()
        );
        assert_eq!(
            normal(11, 22, 33, 55, 44).to_bits(),
            normal_at(s, 55).to_bits()
        );
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
