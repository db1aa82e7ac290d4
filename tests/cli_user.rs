//! End-to-end tests of the user's side of the `snnc` binary: `--version`, `--help`, exit codes,
//! `-q`/`-v`, figures (decoded PNGs, SVG), progress reports, NumPy output, sweeps with a shared
//! compile cache, coloured and plain diagnostics (snapshots in `tests/data/diagnostics`).

mod support;

use snnc::output::npy::{read_npy, NpyData};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn snnc_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("snnc runs")
}

fn snnc(args: &[&str]) -> Output {
    snnc_in(&support::root(), args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("snnc-user-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp");
    d
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// Runs `snnc run` and asserts success.
fn run_ok(args: &[&str]) -> Output {
    let o = snnc(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    o
}

const SEED3: &str = "examples/seed3_refractory.eq";

#[test]
fn version_and_help() {
    let o = snnc(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("snnc {}", env!("CARGO_PKG_VERSION"))
    );
    let o = snnc(&["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0));
    for w in [
        "Examples:",
        "snnc run",
        "Exit codes:",
        "usage error",
        "--quiet",
        "--verbose",
    ] {
        assert!(help.contains(w), "'{w}' missing from --help:\n{help}");
    }
    let o = snnc(&["run", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    for w in [
        "--plot",
        "--plot-format",
        "--format",
        "--sweep",
        "--backend",
        "--threads",
        "--max-memory",
    ] {
        assert!(help.contains(w), "'{w}' missing from run --help:\n{help}");
    }
}

#[test]
fn exit_codes_distinguish_model_usage_and_io_errors() {
    let d = tmpdir("exit");
    // Usage: an unknown flag, a bad --format, a malformed --sweep.
    assert_eq!(snnc(&["run", SEED3, "--frobnicate"]).status.code(), Some(2));
    assert_eq!(
        snnc(&["run", SEED3, "--format", "hdf5"]).status.code(),
        Some(2)
    );
    let o = snnc(&["run", SEED3, "--sweep", "tau", "--out", path(&d)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--sweep expects NAME=v1,v2"));
    // I/O: a file that does not exist; an output folder that is a file.
    assert_eq!(snnc(&["run", "no/such/file.eq"]).status.code(), Some(2));
    let blocker = d.join("file");
    std::fs::write(&blocker, "x").expect("write");
    let o = snnc(&["run", SEED3, "--out", path(&blocker)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Model: an error in the model.
    let bad = d.join("bad.eq");
    std::fs::write(&bad, "G = NeuronGroup(1, 'dv/dt = -v : 1')\nrun(1*ms)\n").expect("write");
    assert_eq!(
        snnc(&["run", path(&bad), "--out", path(&d)]).status.code(),
        Some(1)
    );
}

#[test]
fn quiet_is_silent_and_verbose_tells_phases() {
    let d = tmpdir("qv");
    let o = run_ok(&["run", SEED3, "--out", path(&d), "-q"]);
    assert_eq!(stderr(&o), "");
    assert!(o.stdout.is_empty());
    let o = run_ok(&["run", SEED3, "--out", path(&d), "--seed", "1", "-v"]);
    let e = stderr(&o);
    for w in [
        "group 'neurongroup' is integrated with method 'exact'",
        "backend jit, seed 1",
        "phases: parse and build",
        "simulate",
        "write",
        "wrote",
    ] {
        assert!(e.contains(w), "'{w}' missing from -v output:\n{e}");
    }
    let o = run_ok(&[
        "run",
        SEED3,
        "--out",
        path(&d),
        "--seed",
        "1",
        "--backend",
        "interp",
        "-v",
    ]);
    assert!(stderr(&o).contains("backend interp"));
    let o = snnc(&["check", SEED3, "-q"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

/// Decodes a PNG into (width, height, RGB bytes).
fn decode_png(p: &Path) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(p).expect("png exists"),
    ));
    let mut reader = dec.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Connected groups (8-neighbour) of pixels of exactly `colour`.
fn blobs(w: u32, h: u32, rgb: &[u8], colour: (u8, u8, u8)) -> usize {
    let (w, h) = (w as usize, h as usize);
    let is = |x: usize, y: usize| {
        let k = (y * w + x) * 3;
        (rgb[k], rgb[k + 1], rgb[k + 2]) == colour
    };
    let mut seen = vec![false; w * h];
    let mut count = 0;
    for y in 0..h {
        for x in 0..w {
            if seen[y * w + x] || !is(x, y) {
                continue;
            }
            count += 1;
            let mut stack = vec![(x, y)];
            seen[y * w + x] = true;
            while let Some((cx, cy)) = stack.pop() {
                for dy in -1i64..=1 {
                    for dx in -1i64..=1 {
                        let (nx, ny) = (cx as i64 + dx, cy as i64 + dy);
                        if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                            continue;
                        }
                        let (nx, ny) = (nx as usize, ny as usize);
                        if !seen[ny * w + nx] && is(nx, ny) {
                            seen[ny * w + nx] = true;
                            stack.push((nx, ny));
                        }
                    }
                }
            }
        }
    }
    count
}

#[test]
fn plot_writes_a_raster_with_one_mark_per_spike_and_a_trace() {
    let d = tmpdir("plot");
    run_ok(&["run", SEED3, "--out", path(&d), "--plot", "-q"]);
    // The data is still there, next to the figures.
    assert!(d.join("spikemon.spikes.csv").exists());
    let (w, h, rgb) = decode_png(&d.join("spikemon.raster.png"));
    assert_eq!((w, h), snnc::output::plot::SIZE);
    let non_white = rgb.chunks(3).filter(|p| p != &[255, 255, 255]).count();
    assert!(
        non_white > 2000,
        "raster looks blank: {non_white} pixels drawn"
    );
    // seed3_refractory spikes twice (16 ms and 37 ms): two separate marks.
    assert_eq!(blobs(w, h, &rgb, snnc::output::plot::RASTER_COLOUR), 2);
    let (w, h, rgb) = decode_png(&d.join("statemon.v.png"));
    assert_eq!((w, h), snnc::output::plot::SIZE);
    let blue = rgb
        .chunks(3)
        .filter(|p| (p[0], p[1], p[2]) == snnc::output::plot::RASTER_COLOUR)
        .count();
    assert!(blue > 500, "trace line missing: {blue} pixels");
}

#[test]
fn plot_svg_has_units_on_the_axis_and_a_rate_figure() {
    let d = tmpdir("svg");
    let model = d.join("m.eq");
    std::fs::write(
        &model,
        "vr = -70*mV\ntau = 10*ms\nG = NeuronGroup(2, 'dv/dt = (-50*mV - v)/tau : volt', threshold='v > -55*mV', reset='v = vr', method='exact')\nG.v = vr\nS = StateMonitor(G, 'v', record=True)\nM = SpikeMonitor(G)\nR = PopulationRateMonitor(G)\nrun(40*ms)\n",
    )
    .expect("write");
    run_ok(&[
        "run",
        path(&model),
        "--out",
        path(&d),
        "--plot-format",
        "svg",
        "--format",
        "csv,npy",
        "-q",
    ]);
    // The rate and the volt-valued trace read back from .npy as in the CSV.
    let rate = csv_rows(&d.join("R.rate.csv"));
    let npy = read_npy(&std::fs::read(d.join("R.rate.npy")).expect("rate npy")).expect("npy");
    assert_eq!(npy.data, NpyData::F64(rate.iter().map(|r| r[1]).collect()));
    let v = csv_rows(&d.join("S.v.csv"));
    let npy = read_npy(&std::fs::read(d.join("S.v.npy")).expect("v npy")).expect("npy");
    assert_eq!(npy.shape, vec![v.len(), 2]);
    let flat: Vec<f64> = v.iter().flat_map(|r| r[1..].to_vec()).collect();
    assert_eq!(npy.data, NpyData::F64(flat));
    let index = std::fs::read_to_string(d.join("index.json")).expect("index");
    assert!(index.contains("\"file\": \"S.v.npy\", \"monitor\": \"S\", \"kind\": \"StateMonitor\", \"attribute\": \"v\", \"dtype\": \"<f8\", \"shape\": [400, 2], \"unit\": \"volt\""), "{index}");
    assert!(index.contains("\"unit\": \"hertz\""));
    let trace = std::fs::read_to_string(d.join("S.v.svg")).expect("trace svg");
    assert!(
        trace.starts_with("<svg"),
        "{}",
        &trace[..40.min(trace.len())]
    );
    assert!(trace.contains("v (mV)"), "the y axis names the unit");
    assert!(trace.contains("time (ms)"));
    let raster = std::fs::read_to_string(d.join("M.raster.svg")).expect("raster svg");
    let spikes = std::fs::read_to_string(d.join("M.spikes.csv"))
        .expect("csv")
        .lines()
        .count()
        - 1;
    assert!(spikes > 0);
    assert_eq!(raster.matches("<circle").count(), spikes);
    let rate = std::fs::read_to_string(d.join("R.rate.svg")).expect("rate svg");
    assert!(rate.contains("rate (Hz)"));
}

#[test]
fn report_text_prints_brian2_lines_every_ten_percent() {
    let d = tmpdir("report");
    let model = d.join("r.eq");
    std::fs::write(
        &model,
        "tau = 10*ms\nG = NeuronGroup(1, 'dv/dt = (1-v)/tau : 1', threshold='v>0.8', reset='v = 0', method='exact')\nM = SpikeMonitor(G)\nrun(50*ms, report='text')\nrun(10*ms)\n",
    )
    .expect("write");
    let o = run_ok(&["run", path(&model), "--out", path(&d), "--seed", "1"]);
    let e = stderr(&o);
    let lines: Vec<&str> = e.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("Starting simulation"))
        .expect("start line");
    assert_eq!(
        lines[first],
        "Starting simulation at t=0. s for a duration of 50. ms"
    );
    for k in 1..=9 {
        let l = lines[first + k];
        assert!(
            l.contains(&format!(
                "s ({}%) simulated in < 1s, estimated < 1s remaining.",
                k * 10
            )),
            "line {k}: {l}"
        );
    }
    assert_eq!(lines[first + 10], "0.05 s (100%) simulated in < 1s");
    assert_eq!(
        lines[first + 1],
        "0.005 s (10%) simulated in < 1s, estimated < 1s remaining."
    );
    // The second run did not ask for a report.
    assert_eq!(e.matches("Starting simulation").count(), 1);
    let o = run_ok(&["run", path(&model), "--out", path(&d), "--seed", "1", "-q"]);
    assert_eq!(stderr(&o), "");
}

fn csv_rows(p: &Path) -> Vec<Vec<f64>> {
    std::fs::read_to_string(p)
        .expect("csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|x| x.parse().expect("number")).collect())
        .collect()
}

#[test]
fn npy_reads_back_to_the_csv_values() {
    let d = tmpdir("npy");
    run_ok(&["run", SEED3, "--out", path(&d), "--format", "csv,npy", "-q"]);
    let spikes = csv_rows(&d.join("spikemon.spikes.csv"));
    let i = read_npy(&std::fs::read(d.join("spikemon.i.npy")).expect("i")).expect("npy");
    let t = read_npy(&std::fs::read(d.join("spikemon.t.npy")).expect("t")).expect("npy");
    assert_eq!(i.shape, vec![2]);
    assert_eq!(
        i.data,
        NpyData::I64(spikes.iter().map(|r| r[0] as i64).collect())
    );
    assert_eq!(t.data, NpyData::F64(spikes.iter().map(|r| r[1]).collect()));
    let v = csv_rows(&d.join("statemon.v.csv"));
    let vt = read_npy(&std::fs::read(d.join("statemon.t.npy")).expect("t")).expect("npy");
    let vv = read_npy(&std::fs::read(d.join("statemon.v.npy")).expect("v")).expect("npy");
    assert_eq!(vv.shape, vec![v.len(), 1]);
    assert_eq!(vt.data, NpyData::F64(v.iter().map(|r| r[0]).collect()));
    assert_eq!(vv.data, NpyData::F64(v.iter().map(|r| r[1]).collect()));
    let index = std::fs::read_to_string(d.join("index.json")).expect("index");
    for w in [
        "\"file\": \"spikemon.i.npy\"",
        "\"shape\": [500, 1]",
        "\"columns\": [0]",
        "\"unit\": \"second\"",
    ] {
        assert!(index.contains(w), "'{w}' missing from index.json:\n{index}");
    }
    // npy only: no CSV.
    let d2 = tmpdir("npy-only");
    run_ok(&["run", SEED3, "--out", path(&d2), "--format", "npy", "-q"]);
    assert!(!d2.join("spikemon.spikes.csv").exists());
    assert!(d2.join("spikemon.t.npy").exists());
    // With SNNC_NUMPY=/path/to/python (a Python with NumPy), numpy.load itself must agree.
    if let Ok(py) = std::env::var("SNNC_NUMPY") {
        let script = "import numpy, sys, json\nd = sys.argv[1]\nv = numpy.load(d + '/statemon.v.npy')\nc = numpy.loadtxt(d + '/statemon.v.csv', delimiter=',', skiprows=1)\nassert v.dtype == numpy.float64 and v.shape == (500, 1)\nassert (v[:, 0] == c[:, 1]).all()\ni = numpy.load(d + '/spikemon.i.npy')\nassert i.dtype == numpy.int64 and list(i) == [0, 0]\nfor a in json.load(open(d + '/index.json'))['arrays']:\n    assert list(numpy.load(d + '/' + a['file']).shape) == a['shape']\nprint('numpy ok')\n";
        let o = Command::new(py)
            .args(["-c", script, path(&d)])
            .output()
            .expect("python runs");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("numpy ok"),
            "{}",
            stderr(&o)
        );
    }
}

const SWEEP_MODEL: &str = "tau = 10*ms\nv0 = 0.1\nG = NeuronGroup(3, 'dv/dt = (1.2-v)/tau : 1', threshold='v>1', reset='v = 0', method='exact')\nG.v = v0\nM = SpikeMonitor(G)\nrun(30*ms)\n";

#[test]
fn sweep_writes_a_folder_per_combination_and_a_summary() {
    let d = tmpdir("sweep");
    let model = d.join("m.eq");
    std::fs::write(&model, SWEEP_MODEL).expect("write");
    let out = d.join("out");
    let o = run_ok(&[
        "run",
        path(&model),
        "--out",
        path(&out),
        "--seed",
        "1",
        "--sweep",
        "tau=5*ms,10*ms,20*ms",
        "--sweep",
        "v0=0,0.5",
    ]);
    let summary = std::fs::read_to_string(out.join("summary.csv")).expect("summary");
    let lines: Vec<&str> = summary.lines().collect();
    assert_eq!(lines[0], "tau,v0,M.spikes,M.rate");
    assert_eq!(lines.len(), 7, "{summary}");
    assert!(lines[1].starts_with("5*ms,0,"));
    assert!(lines[6].starts_with("20*ms,0.5,"));
    for tau in ["5*ms", "10*ms", "20*ms"] {
        for v0 in ["0", "0.5"] {
            let dir = out.join(format!("tau={tau},v0={v0}"));
            assert!(dir.join("M.spikes.csv").exists(), "{}", dir.display());
        }
    }
    // Spike counts and rates agree with each folder's CSV, and shorter tau fires more.
    let mut counts = Vec::new();
    for l in &lines[1..] {
        let f: Vec<&str> = l.split(',').collect();
        let dir = out.join(format!("tau={},v0={}", f[0], f[1]));
        let n = csv_rows(&dir.join("M.spikes.csv")).len();
        assert_eq!(f[2].parse::<usize>().expect("count"), n);
        let rate: f64 = f[3].parse().expect("rate");
        assert!((rate - n as f64 / 3.0 / 0.03).abs() < 1e-9);
        counts.push(n);
    }
    assert!(counts[0] > counts[2] && counts[2] > counts[4], "{counts:?}");
    assert!(stderr(&o).contains("6 combination(s)"));
}

#[test]
fn sweep_over_an_initial_value_compiles_each_kernel_once() {
    let d = tmpdir("sweep-cache");
    let model = d.join("m.eq");
    std::fs::write(&model, SWEEP_MODEL).expect("write");
    let kernels = |values: &str| -> (usize, usize) {
        let o = run_ok(&[
            "run",
            path(&model),
            "--out",
            path(&d.join(values)),
            "--seed",
            "1",
            "--sweep",
            &format!("v0={values}"),
            "-v",
        ]);
        let e = stderr(&o);
        let line = e
            .lines()
            .find(|l| l.contains("kernels:"))
            .unwrap_or_else(|| panic!("no kernel count in:\n{e}"));
        let nums: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|x| x.parse().ok())
            .collect();
        (nums[0], nums[1])
    };
    let (one, reused_one) = kernels("0.1");
    assert!(one >= 2, "a step kernel and a reset kernel");
    assert_eq!(reused_one, 0);
    // Four values of a constant that never reaches a kernel: still `one` compilations.
    assert_eq!(kernels("0.1,0.2,0.3,0.5"), (one, 3 * one));
    // The library reports the same.
    let file = snnc::source::SourceFile::new("m.eq", SWEEP_MODEL);
    let params = vec![snnc::sweep::SweepParam::parse("tau=5*ms,10*ms").expect("param")];
    let opts = snnc::script::ScriptOptions {
        seed: Some(1),
        ..Default::default()
    };
    let sweep = snnc::sweep::run_sweep(&file, &opts, &params, |_, _| Ok(())).expect("sweep");
    // tau is folded into the step kernel, so that one is compiled per value; the reset is shared.
    assert_eq!((sweep.compiled, sweep.reused), (one + 1, one - 1));
}

/// Rendering of every error class, plain (stderr is not a terminal here), against snapshots.
/// `SNNC_BLESS=1` rewrites the snapshots.
#[test]
fn diagnostics_match_snapshots() {
    let dir = support::root().join("tests/data/diagnostics");
    let cases: &[(&str, &[&str])] = &[
        ("syntax_script", &[]),
        ("syntax_model_string", &[]),
        ("unknown_name", &[]),
        ("unit_mismatch", &[]),
        ("unknown_keyword", &[]),
        ("unknown_method", &[]),
        ("unsupported_statement", &[]),
        ("runtime_nonfinite", &[]),
        ("set_unknown_constant", &["--set", "nope=3"]),
    ];
    let out = tmpdir("diag");
    let bless = std::env::var_os("SNNC_BLESS").is_some();
    for (stem, extra) in cases {
        let file = format!("{stem}.eq");
        let mut args = vec!["run", file.as_str(), "--out", path(&out), "--seed", "1"];
        args.extend_from_slice(extra);
        let o = snnc_in(&dir, &args);
        assert_eq!(o.status.code(), Some(1), "{stem}: {}", stderr(&o));
        let got = stderr(&o);
        assert!(!got.contains('\x1b'), "{stem}: colour on a pipe");
        let snap = dir.join(format!("{stem}.stderr"));
        if bless {
            std::fs::write(&snap, &got).expect("bless");
        }
        let want = std::fs::read_to_string(&snap)
            .unwrap_or_else(|_| panic!("{}: missing; run with SNNC_BLESS=1", snap.display()));
        assert_eq!(
            got, want,
            "{stem}: rendering changed (SNNC_BLESS=1 to accept)"
        );
        // `check` renders the same way for errors found before simulating.
        if *stem != "runtime_nonfinite" {
            let mut cargs = vec!["check", file.as_str()];
            cargs.extend_from_slice(extra);
            assert_eq!(
                stderr(&snnc_in(&dir, &cargs)),
                want,
                "{stem}: check differs"
            );
        }
    }
}

#[test]
fn color_always_paints_and_plain_text_is_unchanged() {
    let dir = support::root().join("tests/data/diagnostics");
    let coloured = stderr(&snnc_in(
        &dir,
        &["check", "unknown_name.eq", "--color", "always"],
    ));
    assert!(coloured.contains("\x1b[1;31merror\x1b[0m: \x1b[1munknown name 'taum'"));
    // Removing the escapes gives exactly the plain rendering.
    let mut stripped = String::new();
    let mut chars = coloured.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            stripped.push(c);
        }
    }
    let plain = stderr(&snnc_in(
        &dir,
        &["check", "unknown_name.eq", "--color", "never"],
    ));
    assert_eq!(stripped, plain);
    assert!(!plain.contains('\x1b'));
}

#[test]
fn progress_bar_only_on_a_terminal() {
    // On a pipe: no bar, even when it would show at once.
    let d = tmpdir("bar");
    let o = Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(["run", SEED3, "--out", path(&d), "--seed", "1"])
        .current_dir(support::root())
        .env("SNNC_PROGRESS_DELAY_MS", "0")
        .output()
        .expect("snnc runs");
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("ETA"), "{}", stderr(&o));
    // On a terminal (util-linux `script` gives one): elapsed time, percentage and ETA.
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("skipping the terminal half: /usr/bin/script is not installed");
        return;
    }
    let cmd = format!(
        "{} run {SEED3} --out {} --seed 1",
        env!("CARGO_BIN_EXE_snnc"),
        path(&d)
    );
    let run = |quiet: bool| {
        let cmd = if quiet {
            format!("{cmd} -q")
        } else {
            cmd.clone()
        };
        let o = Command::new("/usr/bin/script")
            .args(["-qc", &cmd, "/dev/null"])
            .current_dir(support::root())
            .env("SNNC_PROGRESS_DELAY_MS", "0")
            .output()
            .expect("script runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let tty = run(false);
    assert!(tty.contains("00:00:00 ["), "{tty}");
    assert!(tty.contains("% simulated, ETA"), "{tty}");
    assert!(!run(true).contains("ETA"));
}

#[test]
fn trace_figures_draw_at_most_max_traces_lines() {
    let d = tmpdir("many");
    let model = d.join("m.eq");
    std::fs::write(
        &model,
        "G = NeuronGroup(50, 'dv/dt = (1 + 0.01*i - v)/(10*ms) : 1', method='exact')\nS = StateMonitor(G, 'v', record=True)\nrun(5*ms)\n",
    )
    .expect("write");
    run_ok(&[
        "run",
        path(&model),
        "--out",
        path(&d),
        "--plot-format",
        "svg",
        "-q",
    ]);
    let svg = std::fs::read_to_string(d.join("S.v.svg")).expect("svg");
    // Traces are the 2-pixel lines (axes and ticks are 1 pixel wide).
    let traces = svg
        .split("<polyline")
        .skip(1)
        .filter(|p| {
            p.split('>')
                .next()
                .is_some_and(|tag| tag.contains("stroke-width=\"2\""))
        })
        .count();
    assert_eq!(traces, snnc::output::plot::MAX_TRACES);
    assert!(svg.contains("first 20 of 50"));
    // The data keeps every column.
    let header = std::fs::read_to_string(d.join("S.v.csv")).expect("csv");
    assert_eq!(
        header.lines().next().expect("header").split(',').count(),
        51
    );
}
