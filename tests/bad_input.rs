//! The bad-input corpus (`tests/data/bad/`, described in its README): every file runs through
//! the `snnc` binary and must give the exit code, the location and the words its `.expect`
//! sidecar names; no input may make snnc panic (exit 101), die by a signal, take more than 10 s,
//! or leave output files behind after a failed run. Also here: an interrupted run (SIGINT) writes
//! complete files and exits 130.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad")
}

/// A fresh, absent folder for a run's output.
fn out_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("snnc-bad-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// What a `.expect` file asks for.
#[derive(Debug, Default)]
struct Expect {
    run: bool,
    args: Vec<String>,
    exit: i32,
    at: Option<String>,
    contains: Vec<String>,
    max_seconds: f64,
}

fn parse_expect(text: &str) -> Result<Expect, String> {
    let mut e = Expect {
        max_seconds: 10.0,
        exit: -1,
        ..Expect::default()
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| format!("not 'key: value': {line}"))?;
        let value = value.trim();
        match key.trim() {
            "command" => e.run = value == "run",
            "args" => e.args = value.split_whitespace().map(String::from).collect(),
            "exit" => e.exit = value.parse().map_err(|_| format!("bad exit: {value}"))?,
            "at" => e.at = Some(value.to_string()),
            "contains" => e.contains.push(value.to_string()),
            "max-seconds" => {
                e.max_seconds = value.parse().map_err(|_| format!("bad seconds: {value}"))?
            }
            other => return Err(format!("unknown key '{other}'")),
        }
    }
    if e.exit < 0 {
        return Err("no 'exit:' line".into());
    }
    Ok(e)
}

/// Runs the binary with a time limit; kills it when the limit passes.
fn run_limited(args: &[&std::ffi::OsStr], limit: Duration) -> (Output, Duration, bool) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("snnc starts");
    // Read the pipes on threads so that a chatty child never blocks on a full pipe.
    let mut so = child.stdout.take().expect("stdout");
    let mut se = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut b).ok();
        b
    });
    let t_err = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut b).ok();
        b
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let output = Output {
        status,
        stdout: t_out.join().unwrap_or_default(),
        stderr: t_err.join().unwrap_or_default(),
    };
    (output, elapsed, timed_out)
}

/// Checks one corpus file; returns what is wrong.
fn check_case(eq: &Path) -> Result<(), String> {
    let name = eq.file_stem().unwrap().to_string_lossy().to_string();
    let expect_path = eq.with_extension("expect");
    let text = std::fs::read_to_string(&expect_path)
        .map_err(|e| format!("{}: {e}", expect_path.display()))?;
    let exp = parse_expect(&text).map_err(|m| format!("{}: {m}", expect_path.display()))?;
    let out = out_dir(&name);
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    if exp.run {
        args.extend([
            "run".into(),
            "--quiet".into(),
            "--out".into(),
            out.clone().into(),
        ]);
    } else {
        args.push("check".into());
    }
    args.extend(exp.args.iter().map(Into::into));
    args.push(eq.as_os_str().to_owned());
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let limit = Duration::from_secs_f64(exp.max_seconds.min(10.0));
    let (output, elapsed, timed_out) = run_limited(&refs, Duration::from_secs(10));
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let all = format!("{}{stderr}", String::from_utf8_lossy(&output.stdout));
    let _ = std::fs::remove_dir_all(&out);
    if timed_out {
        return Err("took more than 10 s (killed)".into());
    }
    let Some(code) = output.status.code() else {
        return Err(format!("killed by a signal: {:?}\n{all}", output.status));
    };
    if code == 101 {
        return Err(format!("panicked\n{all}"));
    }
    if elapsed > limit {
        return Err(format!("took {elapsed:?}, more than {limit:?}"));
    }
    if code != exp.exit {
        return Err(format!("exit code {code}, expected {}\n{all}", exp.exit));
    }
    if let Some(at) = &exp.at {
        let loc = format!("{name}.eq:{at}");
        if !stderr.contains(&loc) {
            return Err(format!("the message does not name {loc}\n{all}"));
        }
        if !stderr.lines().any(|l| l.contains(" | ") && l.contains('^')) {
            return Err(format!("the message shows no caret\n{all}"));
        }
    }
    for w in &exp.contains {
        if !all.contains(w.as_str()) {
            return Err(format!("the output lacks '{w}'\n{all}"));
        }
    }
    if exp.run && code != 0 && out.exists() {
        return Err("a failed run left an output folder behind".into());
    }
    Ok(())
}

#[test]
fn every_corpus_file_gets_its_expected_message() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "eq"))
        .collect();
    files.sort();
    assert!(files.len() >= 60, "only {} corpus files", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            check_case(f)
                .err()
                .map(|m| format!("--- {}: {m}", f.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn every_expect_file_has_its_input() {
    for e in std::fs::read_dir(corpus()).expect("corpus folder") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "expect") {
            assert!(
                p.with_extension("eq").exists(),
                "{} has no .eq",
                p.display()
            );
        }
    }
}

/// Writes a script to a temporary file and returns its path.
fn script(tag: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("snnc-bad-{}-{tag}.eq", std::process::id()));
    std::fs::write(&p, text).expect("temp script");
    p
}

#[test]
fn ten_to_the_thirteen_synapses_are_refused_quickly_without_allocating() {
    let p = script(
        "syn13",
        "G = NeuronGroup(4000000, 'v : 1')\nH = NeuronGroup(2500000, 'v : 1')\nS = Synapses(G, H, 'w : 1')\nS.connect(p=1)\n",
    );
    let (out, elapsed, timed_out) = run_limited(
        &[
            "run".as_ref(),
            "--out".as_ref(),
            out_dir("syn13").as_os_str(),
            p.as_os_str(),
        ],
        Duration::from_secs(10),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !timed_out && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("10^13 synapses") && err.contains("TB"),
        "{err}"
    );
}

#[test]
fn an_interrupted_run_writes_complete_files_and_exits_130() {
    let p = script(
        "sigint",
        "G = NeuronGroup(200000, 'dv/dt = (0.9 - v)/(10*ms) : 1', threshold='v > 1', reset='v = 0', method='exact')\nG.v = 'i / 199000.0'\nM = StateMonitor(G, 'v', record=[0, 1, 2])\nS = SpikeMonitor(G)\nrun(2000*second)\n",
    );
    let out = out_dir("sigint");
    let child = Command::new(env!("CARGO_BIN_EXE_snnc"))
        .args(["run", "--seed", "1", "--out"])
        .arg(&out)
        .arg(&p)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("snnc starts");
    // Long enough to be inside the step loop (2·10^7 steps of 2·10^5 neurons take hours). The
    // group is large so that 1.5 s covers only some 10^4 steps, and only the ~1,000 neurons
    // that start above threshold spike (once: v then settles at 0.9), so that the files written
    // on the way out stay small whatever the speed of the machine.
    std::thread::sleep(Duration::from_millis(1500));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let start = Instant::now();
    let output = child.wait_with_output().expect("snnc ends");
    assert!(start.elapsed() < Duration::from_secs(5), "slow to stop");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted at t ="), "{err}");
    let csv = std::fs::read_to_string(out.join("M.v.csv")).expect("M.v.csv written");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "t,0,1,2");
    assert!(rows.len() > 10, "{} rows", rows.len());
    for (k, r) in rows[1..].iter().enumerate() {
        let fields: Vec<f64> = r.split(',').map(|x| x.parse().expect("number")).collect();
        assert_eq!(fields.len(), 4, "row {k}: {r}");
        // One row per step, in order: a complete prefix of the run.
        assert!((fields[0] - k as f64 * 1e-4).abs() < 1e-9, "row {k}: {r}");
    }
    let spikes = std::fs::read_to_string(out.join("S.spikes.csv")).expect("spikes written");
    assert!(spikes.starts_with("i,t"));
    let _ = std::fs::remove_dir_all(&out);
}
