//! Shared test helpers: running a `.eq` model through the library, reading CSVs, and the
//! tolerance policy for comparisons with Brian2.
#![allow(dead_code)]

use snnc::backend::BackendKind;
use snnc::output::{monitor_files, OutputFile};
use snnc::script::{run_script, ScriptOptions};
use snnc::source::SourceFile;
use std::path::{Path, PathBuf};

/// Instantiates each named test body `fn name(b: BackendKind)` once per backend, as
/// `interp::name` and `jit::name`.
#[allow(unused_macros)]
macro_rules! per_backend {
    ($($name:ident),* $(,)?) => {
        mod interp {
            $( #[test] fn $name() { super::$name(snnc::backend::BackendKind::Interp) } )*
        }
        mod jit {
            $( #[test] fn $name() { super::$name(snnc::backend::BackendKind::Jit) } )*
        }
    };
}

/// Runs `tests/data/brian2/models/<stem>.eq` (seed 1, dt 0.1 ms) and compares its monitors
/// with Brian2's outputs in `tests/data/brian2/ref/<stem>/`.
pub fn assert_brian2_model(stem: &str, b: BackendKind) {
    let path = root()
        .join("tests/data/brian2/models")
        .join(format!("{stem}.eq"));
    let out = run_file(&path, b, Some(1), &[]);
    assert_matches_reference(
        &out,
        &root().join("tests/data/brian2/ref").join(stem),
        1e-4,
        stem,
    );
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `examples/<stem>.eq` and returns the monitor files it would write.
pub fn run_example(stem: &str, backend: BackendKind, seed: Option<u64>) -> Vec<OutputFile> {
    run_example_with(stem, backend, seed, &[])
}

/// Like [`run_example`] with `--set` overrides.
pub fn run_example_with(
    stem: &str,
    backend: BackendKind,
    seed: Option<u64>,
    overrides: &[(&str, &str)],
) -> Vec<OutputFile> {
    run_file(
        &root().join("examples").join(format!("{stem}.eq")),
        backend,
        seed,
        overrides,
    )
}

/// Runs any `.eq` file and returns the monitor files it would write.
pub fn run_file(
    path: &Path,
    backend: BackendKind,
    seed: Option<u64>,
    overrides: &[(&str, &str)],
) -> Vec<OutputFile> {
    run_file_with_math(path, backend, seed, overrides, false)
}

/// Like [`run_file`], with fast math (`--fast-math`) on or off.
pub fn run_file_with_math(
    path: &Path,
    backend: BackendKind,
    seed: Option<u64>,
    overrides: &[(&str, &str)],
    fast_math: bool,
) -> Vec<OutputFile> {
    let stem = path.display().to_string();
    let text = std::fs::read_to_string(path).expect("model file exists");
    let file = SourceFile::new(path.display().to_string(), text);
    let opts = ScriptOptions {
        seed,
        overrides: overrides
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        backend,
        dry_run: false,
        threads: 1,
        max_memory: None,
        interrupt: None,
        fast_math,
    };
    match run_script(&file, &opts) {
        // Every scope's monitors, as `snnc run` writes them.
        Ok(o) => monitor_files(
            snnc::output::written_monitors(&o.networks())
                .into_iter()
                .map(|(_, m)| m),
        ),
        Err(e) => panic!(
            "{stem} failed:\n{}",
            snnc::diagnostics::render_all(&e.diagnostics, &file)
        ),
    }
}

/// A parsed CSV: header and columns of numbers.
pub struct Csv {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of numbers.
    pub rows: Vec<Vec<f64>>,
}

/// Parses CSV text of numbers (`True`/`False` read as 1/0).
pub fn parse_csv(text: &str) -> Csv {
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(|s| s.to_string())
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split(',')
                .map(|x| match x.trim() {
                    "True" | "true" => 1.0,
                    "False" | "false" => 0.0,
                    t => t.parse::<f64>().expect("number"),
                })
                .collect()
        })
        .collect();
    Csv { header, rows }
}

/// Reads a reference CSV of Brian2.
pub fn reference(dir: &str, name: &str) -> Csv {
    let p: PathBuf = root().join("tests/data/reference").join(dir).join(name);
    parse_csv(&std::fs::read_to_string(&p).unwrap_or_else(|_| panic!("missing {}", p.display())))
}

/// The file called `name` among `files`.
pub fn file(files: &[OutputFile], name: &str) -> Csv {
    let f = files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no output file {name}"));
    parse_csv(&f.contents)
}

/// Deterministic comparison of a state trace: same header and row count, times within 1e-12 s,
/// and every value within `1e-12 + 1e-9*|ref|` (the tolerance: float64 rounding of
/// two correct but differently associated formulas stays far below it).
pub fn assert_trace_matches(ours: &Csv, theirs: &Csv, what: &str) {
    assert_eq!(ours.header, theirs.header, "{what}: header");
    assert_eq!(ours.rows.len(), theirs.rows.len(), "{what}: row count");
    for (r, (a, b)) in ours.rows.iter().zip(&theirs.rows).enumerate() {
        assert!(
            (a[0] - b[0]).abs() <= 1e-12,
            "{what}: time of row {r}: {} vs {}",
            a[0],
            b[0]
        );
        for (c, (x, y)) in a.iter().zip(b).enumerate().skip(1) {
            assert!(
                (x - y).abs() <= 1e-12 + 1e-9 * y.abs(),
                "{what}: row {r} (t = {}), column {c}: snnc {x} vs Brian2 {y}",
                a[0]
            );
        }
    }
}

/// Spike trains must be identical in neuron index and time step; variables recorded at the
/// spikes (columns after `i,t`) agree to float64 rounding accumulated over a run
/// (`1e-12 + 1e-9*|b|`, as traces).
pub fn assert_spikes_match(ours: &Csv, theirs: &Csv, dt: f64, what: &str) {
    assert_eq!(ours.header, theirs.header, "{what}: header");
    let steps = |c: &Csv| -> Vec<(i64, i64)> {
        c.rows
            .iter()
            .map(|r| (r[0] as i64, (r[1] / dt).round() as i64))
            .collect()
    };
    assert_eq!(steps(ours), steps(theirs), "{what}: spikes (i, step)");
    for (r, (a, b)) in ours.rows.iter().zip(&theirs.rows).enumerate() {
        for (c, (x, y)) in a.iter().zip(b).enumerate().skip(2) {
            assert!(
                (x - y).abs() <= 1e-12 + 1e-9 * y.abs(),
                "{what}: spike {r}, column {}: snnc {x} vs Brian2 {y}",
                ours.header[c]
            );
        }
    }
}

/// Compares every CSV of a Brian2 reference folder with snnc's output: spike files exactly
/// (neuron and step), everything else with [`assert_trace_matches`].
pub fn assert_matches_reference(out: &[OutputFile], ref_dir: &Path, dt: f64, what: &str) {
    let mut names: Vec<String> = std::fs::read_dir(ref_dir)
        .expect("reference folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "{what}: empty reference folder");
    // The same files: one per recorded quantity, none missing and none extra.
    let mut ours: Vec<&str> = out.iter().map(|f| f.name.as_str()).collect();
    ours.sort();
    assert_eq!(
        ours, names,
        "{what}: the monitor files differ from Brian2's"
    );
    for name in names {
        let theirs = parse_csv(&std::fs::read_to_string(ref_dir.join(&name)).expect("csv"));
        let ours = file(out, &name);
        if name.ends_with(".spikes.csv") {
            assert_spikes_match(&ours, &theirs, dt, &format!("{what} {name}"));
        } else {
            assert_trace_matches(&ours, &theirs, &format!("{what} {name}"));
        }
    }
}

/// Reads a JSON number at `path` like `total_spikes.mean` from a small stats file without a JSON
/// dependency (the files are written by Brian2's tooling with one key per line).
pub fn json_number(path: &Path, key_path: &[&str]) -> f64 {
    let text = std::fs::read_to_string(path).expect("stats file");
    let mut pos = 0;
    for key in key_path {
        let needle = format!("\"{key}\"");
        pos += text[pos..]
            .find(&needle)
            .unwrap_or_else(|| panic!("no key {key}"))
            + needle.len();
    }
    let rest = &text[pos..];
    let start = rest
        .find(|c: char| c == '-' || c.is_ascii_digit())
        .expect("number");
    let end = rest[start..]
        .find(|c: char| {
            !(c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+' || c.is_ascii_digit())
        })
        .map(|e| start + e)
        .unwrap_or(rest.len());
    rest[start..end].parse().expect("number")
}
