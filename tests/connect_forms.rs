//! Every form of `Synapses.connect` against the synapse lists Brian2 2.9.0 produced
//! (tests/data/brian2/connect_forms.json, made by tools/brian2/connect_forms.py).
//!
//! Deterministic cases must give exactly Brian2's `(i, j)` list in Brian2's synapse order;
//! error cases must fail; probabilistic cases are statistical: the mean synapse count over 10
//! snnc seeds must lie within 3 combined standard errors of Brian2's mean over its 10 seeds.

mod support;

use serde_json::Value as Json;
use snnc::backend::BackendKind;
use snnc::script::{run_script, ScriptOptions};
use snnc::source::SourceFile;

fn cases() -> Vec<Json> {
    let text =
        std::fs::read_to_string(support::root().join("tests/data/brian2/connect_forms.json"))
            .expect("connect_forms.json");
    match serde_json::from_str(&text).expect("json") {
        Json::Array(a) => a,
        _ => panic!("expected a list"),
    }
}

fn script(case: &Json) -> String {
    let mut s = String::new();
    for line in case["setup"].as_array().expect("setup") {
        s.push_str(line.as_str().expect("line"));
        s.push('\n');
    }
    s.push_str(&format!(
        "S.connect({})\n",
        case["connect_kwargs_source"].as_str().expect("kwargs")
    ));
    if let Some(after) = case["after"].as_array() {
        for line in after {
            s.push_str(line.as_str().expect("line"));
            s.push('\n');
        }
    }
    s
}

/// Runs a case; returns the synapse list or the error messages.
fn connect(case: &Json, seed: u64) -> Result<Vec<(u32, u32)>, String> {
    let file = SourceFile::new(case["name"].as_str().expect("name"), script(case));
    synapse_list(&file, seed)
}

/// Builds the script's network (no simulation); the first Synapses' `(i, j)` list or the
/// error messages.
fn synapse_list(file: &SourceFile, seed: u64) -> Result<Vec<(u32, u32)>, String> {
    let opts = ScriptOptions {
        seed: Some(seed),
        backend: BackendKind::Interp,
        dry_run: true,
        threads: 1,
        ..ScriptOptions::default()
    };
    match run_script(file, &opts) {
        Ok(o) => {
            let s = &o.network.synapses[0];
            Ok(s.pre()
                .iter()
                .copied()
                .zip(s.post().iter().copied())
                .collect())
        }
        Err(e) => Err(snnc::diagnostics::render_all(&e.diagnostics, file)),
    }
}

fn list(v: &Json) -> Vec<u32> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|x| x.as_u64().expect("index") as u32)
        .collect()
}

#[test]
fn deterministic_forms_match_brian2() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        if case.get("i").is_none() || case.get("probabilistic").is_some() {
            continue;
        }
        checked += 1;
        let want: Vec<(u32, u32)> = list(&case["i"]).into_iter().zip(list(&case["j"])).collect();
        match connect(&case, 1) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{}: got {got:?}, Brian2 {want:?}", case["name"])),
            Err(e) => failures.push(format!("{}: failed:\n{e}", case["name"])),
        }
    }
    assert!(checked >= 64, "only {checked} deterministic cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_forms_are_errors() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        if case.get("error_type").is_none() {
            continue;
        }
        checked += 1;
        if let Ok(got) = connect(&case, 1) {
            failures.push(format!(
                "{}: Brian2 fails ({}), snnc made {got:?}",
                case["name"], case["error_message"]
            ));
        }
    }
    assert!(checked >= 31, "only {checked} error cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn probabilistic_forms_agree_statistically() {
    let mut checked = 0;
    for case in cases() {
        if case.get("probabilistic").is_none() {
            continue;
        }
        checked += 1;
        let counts: Vec<f64> = (1..=10)
            .map(|s| connect(&case, s).expect("connects").len() as f64)
            .collect();
        let n = counts.len() as f64;
        let m = counts.iter().sum::<f64>() / n;
        let sd = (counts.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let m_ref = case["count_mean"].as_f64().expect("mean");
        let sd_ref = case["count_std_ddof1"].as_f64().expect("sd");
        if let Some(exact) = case.get("count_exact") {
            assert!(
                counts.iter().all(|&c| c == exact.as_f64().expect("n")),
                "{}: {counts:?}",
                case["name"]
            );
            continue;
        }
        let se = (sd_ref * sd_ref / 10.0 + sd * sd / n).sqrt();
        assert!(
            (m - m_ref).abs() <= 3.0 * se,
            "{}: mean {m} (sd {sd}) vs Brian2 {m_ref} (sd {sd_ref})",
            case["name"]
        );
    }
    assert!(checked >= 7, "only {checked} probabilistic cases");
}

/// The synapse list of `connect(p=P)` between two groups of `n` (the fast, row-only path).
fn fixed_p(n: usize, p: f64, seed: u64) -> Vec<(u32, u32)> {
    let text =
        format!("G = NeuronGroup({n}, 'v : 1')\nS = Synapses(G, G, 'w : 1')\nS.connect(p={p})\n");
    synapse_list(&SourceFile::new("fixed_p.eq", text), seed).expect("connects")
}

#[test]
fn fixed_p_connections_are_independent_coin_flips() {
    // Brian2 makes each pair a synapse with probability p, independently. Then (1) the gaps
    // between a row's consecutive targets (and before its first) are geometric,
    // P(gap = k) = (1-p)^k·p, and (2) every target's in-degree is binomial(n, p), whose
    // variance n·p·(1-p) would be off if rows shared or correlated their draws.
    let (n, p) = (1000, 0.05);
    let bins = 60; // gaps 0..59, then one bin for >= 60 (probability 0.95^60 = 4.6%)
    let mut gaps = vec![0u64; bins + 1];
    let mut degree_vars = Vec::new();
    for seed in 1..=4 {
        let syn = fixed_p(n, p, seed);
        let mut last: Option<(u32, u32)> = None;
        let mut in_degree = vec![0f64; n];
        for &(i, j) in &syn {
            let gap = match last {
                Some((li, lj)) if li == i => {
                    assert!(j > lj, "row {i} not ascending");
                    j - lj - 1
                }
                _ => j,
            };
            gaps[(gap as usize).min(bins)] += 1;
            in_degree[j as usize] += 1.0;
            last = Some((i, j));
        }
        let mean = in_degree.iter().sum::<f64>() / n as f64;
        let var = in_degree.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        degree_vars.push(var);
        // Mean in-degree n·p = 50 with standard error sqrt(n·p·(1-p)/n) = 0.22; 5 of them.
        assert!(
            (mean - 50.0).abs() < 1.1,
            "seed {seed}: mean in-degree {mean}"
        );
    }
    // Gaps: 61 bins, 60 degrees of freedom; P(chi-square > 110) is about 5e-5. The last
    // bin (gaps of 60 and more, cut short by the row's end) is left out: rows end at n.
    let total: u64 = gaps.iter().sum();
    let in_range = |k: usize| (1.0 - p).powi(k as i32) * p;
    let norm: f64 = (0..bins).map(in_range).sum();
    let counted: u64 = gaps[..bins].iter().sum();
    let chi2: f64 = (0..bins)
        .map(|k| {
            let e = counted as f64 * in_range(k) / norm;
            (gaps[k] as f64 - e).powi(2) / e
        })
        .sum();
    assert!(total > 150_000, "{total} synapses");
    assert!(chi2 < 110.0, "gaps: chi-square {chi2} over {bins} bins");
    // In-degree variance n·p·(1-p) = 47.5; the sample variance of 1000 nearly normal values has
    // a standard error of 47.5·sqrt(2/999) = 2.1; the mean of four seeds' within 5 of those.
    let var = degree_vars.iter().sum::<f64>() / degree_vars.len() as f64;
    assert!((var - 47.5).abs() < 5.3, "in-degree variance {var}");
}
