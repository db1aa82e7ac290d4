//! Every neuron-only seed model against Brian2's reference output (tests/data/reference/,
//! produced by Brian2 2.9.0, see its README), on both backends.
//!
//! Deterministic models: state traces to `1e-12 + 1e-9*|b|` and identical spike steps.
//! Stochastic models: snnc's random streams are not Brian2's (BRIAN2-SEMANTICS §8), so the
//! comparison is statistical over seeds: the mean of a statistic over snnc seeds must lie within
//! 3 combined standard errors of Brian2's mean over its 20 seeds,
//! `|m_snnc - m_b2| <= 3 * sqrt(s_b2²/20 + s_snnc²/n)`.

#[macro_use]
mod support;

use snnc::backend::BackendKind;
use support::*;

const DT: f64 = 1e-4;

fn seed1(b: BackendKind) {
    let out = run_example("seed1_decay", b, None);
    assert_trace_matches(
        &file(&out, "M.v.csv"),
        &reference("seed1_decay", "M.v.csv"),
        "seed1 M.v",
    );
}

fn seed2(b: BackendKind) {
    let out = run_example("seed2_threshold", b, None);
    assert_trace_matches(
        &file(&out, "M.v.csv"),
        &reference("seed2_threshold", "M.v.csv"),
        "seed2 M.v",
    );
}

fn seed3(b: BackendKind) {
    let out = run_example("seed3_refractory", b, None);
    assert_trace_matches(
        &file(&out, "statemon.v.csv"),
        &reference("seed3_refractory", "statemon.v.csv"),
        "seed3 statemon.v",
    );
    assert_spikes_match(
        &file(&out, "spikemon.spikes.csv"),
        &reference("seed3_refractory", "spikemon.spikes.csv"),
        DT,
        "seed3 spikes",
    );
}

/// Mean and sample standard deviation.
fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

fn total_spikes_agree(stem: &str, monitor: &str, b: BackendKind, seeds: u64) {
    let totals: Vec<f64> = (1..=seeds)
        .map(|s| file(&run_example(stem, b, Some(s)), monitor).rows.len() as f64)
        .collect();
    let (m, sd) = mean_sd(&totals);
    let stats = root()
        .join("tests/data/reference")
        .join(stem)
        .join("stats.json");
    let m_ref = json_number(&stats, &["total_spikes", "mean"]);
    let sd_ref = json_number(&stats, &["total_spikes", "std_ddof1"]);
    let se = (sd_ref * sd_ref / 20.0 + sd * sd / seeds as f64).sqrt();
    assert!(
        (m - m_ref).abs() <= 3.0 * se,
        "{stem}: mean total spikes {m} (sd {sd}, {seeds} seeds) vs Brian2 {m_ref} (sd {sd_ref}, 20 seeds): differ by more than 3 standard errors ({se})"
    );
}

fn seed4(b: BackendKind) {
    total_spikes_agree("seed4_random_init", "spikemon.spikes.csv", b, 10);
}

fn seed5(b: BackendKind) {
    total_spikes_agree("seed5_noise", "M.spikes.csv", b, 10);
}

fn seed6(b: BackendKind) {
    total_spikes_agree("seed6_adaptive", "spikemon.spikes.csv", b, 10);
}

per_backend!(seed1, seed2, seed3, seed4, seed5, seed6);
