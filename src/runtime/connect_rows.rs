//! `connect()` of a fixed probability whose condition (if any) does not depend on the target
//! (`'i<Ne'`, or none): each row is decided once, then only its accepted targets are drawn,
//! with geometric skips, as Brian2's `sample(N_post, p=p)` does; about p·N_post numbers per
//! row instead of N_post. Rows are independent (each has its own random stream), so large
//! connections are made in row ranges on the network's worker threads. The parts say how many
//! synapses each source and each target neuron got, so that nothing scans them afterwards.

use super::connect::eval;
use super::network::Network;
use super::synapses::{NewSynapses, RowCounts};
use crate::check::hir::{HExpr, Side, Special, VarRef};
use crate::runtime::rng;
use rayon::prelude::*;

impl Network {
    /// The synapses of `connect(condition, p=pv, n=n)` on synapses `k` (random key `object`),
    /// in parts in row order; `cond` depends on the source neuron only.
    pub(super) fn connect_rows(
        &mut self,
        k: usize,
        cond: Option<&HExpr>,
        pv: f64,
        n: usize,
        object: u64,
    ) -> Vec<NewSynapses> {
        let s = &self.synapses[k];
        let (src, tgt) = (s.source, s.target);
        let pv = pv.clamp(0.0, 1.0);
        let expected = pv * src.len() as f64 * tgt.len() as f64 * n as f64;
        // Rows are independent (each has its own random stream), so large connections
        // are cut into row ranges that the network's worker threads fill in parallel;
        // the parts stay in row order.
        let pool = if self.threads > 1 && expected >= PARALLEL_PAIRS && src.len() > 1 {
            self.workers.pool(self.threads)
        } else {
            None
        };
        let sg = &self.groups[src.group];
        let existing = s.len() as f64;
        let (seed, columns) = (self.seed, &self.columns);
        let n_tgt = tgt.len() as i64;
        // See `sample_row`.
        let inv_rate = if pv >= 1.0 {
            0.0
        } else {
            -1.0 / (1.0 - pv).ln()
        };
        let row = |i: usize, out: &mut NewSynapses| {
            if let Some(c) = cond {
                let lookup = |e: &HExpr| -> Option<f64> {
                    match e {
                        HExpr::Special(Special::N) => Some(existing),
                        HExpr::Special(Special::I) => Some((i - src.start) as f64),
                        HExpr::Special(Special::NPre) => Some(src.len() as f64),
                        HExpr::Special(Special::NPost) => Some(tgt.len() as f64),
                        HExpr::Var(VarRef {
                            name,
                            side: Side::Pre,
                        }) => columns[sg.column(name)?].get(i).copied(),
                        _ => None,
                    }
                };
                if eval(c, &lookup, &mut || f64::NAN) == 0.0 {
                    return;
                }
            }
            if pv <= 0.0 {
                return;
            }
            let stream = rng::stream(seed, object, i as u64, 2);
            sample_row(stream, inv_rate, (tgt.start, n_tgt), n, out);
        };
        // Room for the expected count and a margin, so that a part is not copied while it
        // grows (together they hold tens of millions of synapses in large networks).
        let room = |rows: usize| {
            let e = expected * rows as f64 / src.len().max(1) as f64;
            (e * 1.01 + 1024.0).min(1e9) as usize
        };
        let fill = |(a, z): (usize, usize)| {
            let mut part = NewSynapses {
                // Left empty: the row counts say it (`NewSynapses::pre_values`).
                pre: Vec::new(),
                post: Vec::with_capacity(room(z - a)),
                rows: None,
                in_degree: vec![0; tgt.stop],
            };
            let mut counts = Vec::with_capacity(z - a);
            for i in a..z {
                let before = part.post.len();
                row(i, &mut part);
                counts.push((part.post.len() - before) as u32);
            }
            part.rows = Some(RowCounts { first: a, counts });
            part
        };
        match pool {
            None => vec![fill((src.start, src.stop))],
            Some(pool) => {
                let count = 4 * self.threads;
                let size = src.len().div_ceil(count);
                let ranges: Vec<(usize, usize)> = (0..count)
                    .map(|c| {
                        let a = (src.start + c * size).min(src.stop);
                        (a, (a + size).min(src.stop))
                    })
                    .filter(|(a, z)| a < z)
                    .collect();
                pool.install(|| ranges.into_par_iter().map(fill).collect())
            }
        }
    }
}

/// Appends the targets a row accepts, each `copies` times, to `out.post` (and counts them in
/// its in-degrees; the row's presynaptic neuron is kept as the part's row count): targets `first + j` for `j` in `0..n_tgt`, chosen by geometric skips. The skip
/// after each accepted target is `floor(x · inv_rate)` with `inv_rate = -1 / ln(1 - p)` for the
/// row's exponential numbers `x = rng::exponential_at(stream, draw)`: the number of rejected
/// targets before the next accepted one, geometric with `P(skip >= k) = (1 - p)^k`, as
/// Brian2's `sample` draws (it inverts a uniform with a logarithm; the ziggurat needs none
/// for 99.4% of draws). With `p = 1` (`inv_rate = 0`) every target, without drawing.
fn sample_row(
    stream: u64,
    inv_rate: f64,
    (first, n_tgt): (usize, i64),
    copies: usize,
    out: &mut NewSynapses,
) {
    let in_degree = out.in_degree.as_mut_slice();
    if inv_rate == 0.0 {
        for j in 0..n_tgt {
            let target = j as usize + first;
            out.post.extend(std::iter::repeat_n(target as u32, copies));
            if let Some(d) = in_degree.get_mut(target) {
                *d += copies as u32;
            }
        }
        return;
    }
    let exponential = rng::Exponential::table();
    let len = n_tgt as f64;
    // Skips are computed a batch at a time (independent draws, so their work overlaps), then
    // consumed in order, their targets gathered and appended at once; a row ends inside some
    // batch.
    let mut skips = [0.0f64; SKIP_BATCH];
    let mut targets = [0u32; SKIP_BATCH];
    let mut j: i64 = -1;
    let mut draw = 0u64;
    loop {
        for (b, r) in skips.iter_mut().enumerate() {
            *r = exponential.at(stream, draw + b as u64) * inv_rate;
        }
        draw += SKIP_BATCH as u64;
        let mut accepted = 0;
        let mut ended = false;
        for &r in &skips {
            // `r` is not negative (or -0), so truncation is the floor; a NaN, infinite or too
            // long skip ends the row.
            if r.is_nan() || r >= len || j + r as i64 + 1 >= n_tgt {
                ended = true;
                break;
            }
            j += r as i64 + 1;
            let target = j as usize + first;
            targets[accepted] = target as u32;
            accepted += 1;
            if let Some(d) = in_degree.get_mut(target) {
                *d += copies as u32;
            }
        }
        if copies == 1 {
            // The whole batch (a fixed-size copy, no call), then cut back to the accepted.
            let len = out.post.len();
            out.post.extend_from_slice(&targets);
            out.post.truncate(len + accepted);
        } else {
            for &t in &targets[..accepted] {
                out.post.extend(std::iter::repeat_n(t, copies));
            }
        }
        if ended {
            break;
        }
    }
}

/// Draws per batch of geometric skips (about 1/p of a row's draws are used; a row of a
/// sparse connection uses hundreds).
const SKIP_BATCH: usize = 8;

/// A row-by-row connection expected to create at least this many pairs is filled by the
/// network's worker threads (below it, waking them costs more than it saves).
const PARALLEL_PAIRS: f64 = 200_000.0;
