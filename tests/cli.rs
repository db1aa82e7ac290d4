//! End-to-end tests of the `snnc` binary: exit codes, `file:line:col` messages, outputs.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn snnc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(args)
        .output()
        .expect("snnc runs")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("snnc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp");
    d
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(support::root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eq"))
        .collect();
    v.sort();
    v
}

#[test]
fn check_accepts_every_example() {
    for p in examples() {
        let out = snnc(&["check", p.to_str().expect("utf8")]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A malformed variant of a seed model: the bad text, the 1-based line and column the message
/// must name, and words it must contain.
fn check_bad(name: &str, text: &str, line: usize, col: usize, words: &[&str]) {
    let d = tmpdir(name);
    let f = d.join(format!("{name}.eq"));
    std::fs::write(&f, text).expect("write");
    let out = snnc(&["check", f.to_str().expect("utf8")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {err}");
    let loc = format!("{}:{line}:{col}", f.display());
    assert!(err.contains(&loc), "{name}: expected {loc} in:\n{err}");
    for w in words {
        assert!(err.contains(w), "{name}: expected '{w}' in:\n{err}");
    }
}

const SEED3: &str = "tau = 10*ms\neqs = '''\ndv/dt = (1-v)/tau : 1 (unless refractory)\n'''\nG = NeuronGroup(1, eqs, threshold='v>0.8', reset='v = 0', refractory=5*ms, method='exact')\nstatemon = StateMonitor(G, 'v', record=0)\nspikemon = SpikeMonitor(G)\nrun(50*ms)\n";

#[test]
fn check_reports_unit_mismatch_in_model_string() {
    let text = SEED3.replace("dv/dt = (1-v)/tau : 1", "dv/dt = (1-v) : 1");
    // The span is the right-hand side without its parentheses.
    check_bad("unit", &text, 3, 10, &["expected 1/second, found 1"]);
}

#[test]
fn check_reports_unknown_name() {
    let text = SEED3.replace("(1-v)/tau", "(1-v)/taum");
    check_bad("unknown", &text, 3, 15, &["taum", "tau"]);
}

#[test]
fn check_reports_syntax_error_in_model_string() {
    let text = SEED3.replace("(1-v)/tau", "(1-v)/*tau");
    check_bad("syntax", &text, 3, 15, &["error"]);
}

#[test]
fn check_reports_non_base_unit() {
    let text = SEED3.replace(": 1 (unless", ": mV (unless");
    check_bad("mv", &text, 3, 21, &["volt"]);
}

#[test]
fn check_reports_non_boolean_threshold() {
    let text = SEED3.replace("threshold='v>0.8'", "threshold='v+0.8'");
    check_bad("threshold", &text, 5, 36, &["boolean"]);
}

#[test]
fn check_reports_for_loop() {
    let text = format!("{SEED3}for k in range(3):\n    run(1*ms)\n");
    check_bad("forloop", &text, 9, 1, &["for"]);
}

/// `snnc run FILE --out DIR`, which must succeed.
fn run_ok(file: &Path, out: &Path) {
    let o = snnc(&[
        "run",
        file.to_str().expect("utf8"),
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn run_writes_contract_layout() {
    let d = tmpdir("run");
    let f = support::root().join("examples/seed3_refractory.eq");
    run_ok(&f, &d);
    let spikes = std::fs::read_to_string(d.join("spikemon.spikes.csv")).expect("spikes");
    assert!(spikes.starts_with("i,t\n"));
    let v = std::fs::read_to_string(d.join("statemon.v.csv")).expect("trace");
    assert!(v.starts_with("t,0\n"));
    assert_eq!(v.lines().count(), 501);
}

/// Objects of a scope that `start_scope()` closed are not part of later runs: using one is an
/// error at its name.
#[test]
fn check_reports_objects_of_a_closed_scope() {
    check_bad(
        "closed_scope",
        "G = NeuronGroup(2, 'v : 1')\nrun(1*ms)\nstart_scope()\nM = StateMonitor(G, 'v', record=0)\nrun(1*ms)\n",
        4,
        18,
        &["'G' belongs to a scope that start_scope() closed"],
    );
}

/// A script variable bound to a second monitor names only that one (Python's binding; the
/// first monitor is not written). Two monitors of one name made the run fail writing.
#[test]
fn run_names_files_after_the_last_binding() {
    let d = tmpdir("rebound");
    let f = d.join("rebound.eq");
    std::fs::write(
        &f,
        "G = NeuronGroup(2, 'v : 1')\nG.v = 'i + 1'\nM = StateMonitor(G, 'v', record=0)\nM = StateMonitor(G, 'v', record=1)\nrun(0.2*ms)\n",
    )
    .expect("write");
    let outdir = d.join("out");
    run_ok(&f, &outdir);
    let names: Vec<String> = std::fs::read_dir(&outdir)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["M.v.csv"]);
    let v = std::fs::read_to_string(outdir.join("M.v.csv")).expect("trace");
    assert_eq!(v, "t,1\n0.0,2.0\n0.0001,2.0\n");
}

#[test]
fn failed_run_leaves_no_output() {
    let d = tmpdir("fail");
    let f = d.join("bad.eq");
    std::fs::write(&f, "G = NeuronGroup(1, 'dv/dt = v/(0*second) : 1', method='euler')\nG.v = 1\nM = StateMonitor(G, 'v', record=True)\nrun(1*ms)\n").expect("write");
    let outdir = d.join("out");
    let out = snnc(&[
        "run",
        f.to_str().expect("utf8"),
        "--out",
        outdir.to_str().expect("utf8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("'v'") && err.contains("neurongroup"), "{err}");
    let leftover = std::fs::read_dir(&outdir).map(|r| r.count()).unwrap_or(0);
    assert_eq!(leftover, 0, "no file may be written by a failed run");
}

#[test]
fn set_overrides_a_constant() {
    let d = tmpdir("set");
    let f = support::root().join("examples/seed4_random_init.eq");
    let out = snnc(&[
        "run",
        f.to_str().expect("utf8"),
        "--out",
        d.to_str().expect("utf8"),
        "--seed",
        "3",
        "--set",
        "N=7",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spikes = std::fs::read_to_string(d.join("spikemon.spikes.csv")).expect("spikes");
    let max_i = spikes
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("i").parse::<u32>().expect("int"))
        .max()
        .expect("some spikes");
    assert!(max_i < 7, "neuron indices must be below N=7");
}

/// `--fast-math` reaches the kernels: the Hodgkin-Huxley traces change in their last bits
/// (tests/fast_math.rs compares both with Brian2), the spikes stay Brian2's.
#[test]
fn fast_math_flag_changes_the_math_only() {
    let f = support::root().join("tests/data/brian2/models/hh_traub.eq");
    let run = |name: &str, extra: &[&str]| {
        let d = tmpdir(name);
        let mut args = vec![
            "run",
            f.to_str().expect("utf8"),
            "--out",
            d.to_str().expect("utf8"),
            "-q",
        ];
        args.extend_from_slice(extra);
        let out = snnc(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = |n: &str| std::fs::read_to_string(d.join(n)).expect("output file");
        (read("M.v.csv"), read("S.spikes.csv"))
    };
    let (v, spikes) = run("libm", &[]);
    let (v_fast, spikes_fast) = run("fast", &["--fast-math"]);
    assert_ne!(v, v_fast);
    assert_eq!(spikes, spikes_fast);
}

#[test]
fn missing_file_is_an_io_error() {
    let out = snnc(&["check", "/nonexistent/model.eq"]);
    assert_eq!(out.status.code(), Some(2));
}
