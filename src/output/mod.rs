//! Writing monitors to files in the layout of CONTRACT §4, atomically.
//!
//! Every file is first written into a hidden staging folder inside the output folder and only
//! renamed into place once all files were written, so a failed run leaves no half-written
//! output. Numbers use Rust's shortest round-trip formatting, so they read back to the same
//! `f64`.
//!
//! Besides the CSV files of CONTRACT §4 this module makes NumPy files ([`npy`]) and figures
//! ([`plot`]); all of them are [`Artifact`]s written together by [`write_artifacts`]. Nothing here
//! prints.

pub mod npy;
pub mod plot;

use crate::monitor::{Monitor, Source};
use crate::runtime::network::Network;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One output file: its name and contents.
pub struct OutputFile {
    /// File name inside the output folder (`M.v.csv`).
    pub name: String,
    /// Contents.
    pub contents: String,
}

/// Any output file as bytes (CSV text, `.npy`, PNG, SVG, JSON).
#[derive(Clone, Debug)]
pub struct Artifact {
    /// File name inside the output folder.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl From<OutputFile> for Artifact {
    fn from(f: OutputFile) -> Artifact {
        Artifact {
            name: f.name,
            bytes: f.contents.into_bytes(),
        }
    }
}

/// Brian2's name of the unit of variable `var` of a monitored object (`volt`, `1`); `"1"` when
/// the variable is unknown.
pub fn unit_of(net: &Network, source: Source, var: &str) -> String {
    dim_of(net, source, var)
        .map(|d| d.unit_name())
        .unwrap_or_else(|| "1".to_string())
}

/// The dimension of variable `var` of a monitored object, also of a synapse's view of its
/// neurons' variables (`v_post`, `x_pre`); `None` when the variable is unknown.
pub fn dim_of(net: &Network, source: Source, var: &str) -> Option<crate::units::Dimension> {
    let find = |vars: &[crate::check::hir::Variable], name: &str| {
        vars.iter().find(|v| v.name == name).map(|v| v.dim)
    };
    match source {
        Source::Group(g) => find(&net.groups.get(g)?.variables, var),
        Source::Synapses(s) => {
            let s = net.synapses.get(s)?;
            find(&s.variables, var)
                .or_else(|| {
                    let x = var.strip_suffix("_post")?;
                    find(&net.groups.get(s.target.group)?.variables, x)
                })
                .or_else(|| {
                    let x = var.strip_suffix("_pre")?;
                    find(&net.groups.get(s.source.group)?.variables, x)
                })
        }
    }
}

/// Which files [`artifacts`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputOptions {
    /// CSV files of CONTRACT §4.
    pub csv: bool,
    /// NumPy `.npy` files and `index.json`.
    pub npy: bool,
    /// A figure per monitor, in this format.
    pub plot: Option<plot::PlotFormat>,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            csv: true,
            npy: false,
            plot: None,
        }
    }
}

/// All output files of the monitors of several networks (a script's scopes, in order), as
/// `opts` asks; see [`written_monitors`].
pub fn artifacts(nets: &[&Network], opts: &OutputOptions) -> Result<Vec<Artifact>, String> {
    let monitors = written_monitors(nets);
    let mut files: Vec<Artifact> = Vec::new();
    if opts.csv {
        files.extend(
            monitor_files(monitors.iter().map(|(_, m)| *m))
                .into_iter()
                .map(Artifact::from),
        );
    }
    if opts.npy {
        files.extend(npy::monitor_npy_files(&monitors));
    }
    if let Some(format) = opts.plot {
        files.extend(plot::monitor_plots(&monitors, format)?);
    }
    Ok(files)
}

/// The monitors whose files are written, each with its network: those of every network in
/// order, where a monitor replaces an earlier one of the same name (a script variable bound to
/// a new monitor no longer holds the old one, so only the new one is named after it).
pub fn written_monitors<'a>(nets: &[&'a Network]) -> Vec<(&'a Network, &'a Monitor)> {
    let all: Vec<(&Network, &Monitor)> = nets
        .iter()
        .flat_map(|&net| net.monitors.iter().map(move |m| (net, m)))
        .collect();
    all.iter()
        .enumerate()
        .filter(|(k, (_, m))| {
            !all[k + 1..]
                .iter()
                .any(|(_, later)| later.name() == m.name())
        })
        .map(|(_, &pair)| pair)
        .collect()
}

/// The CSV files of the monitors.
pub fn monitor_files<'a>(monitors: impl IntoIterator<Item = &'a Monitor>) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for m in monitors {
        match m {
            Monitor::State(sm) => {
                for (k, var) in sm.variables.iter().enumerate() {
                    // About 20 bytes a number, so the text rarely grows (and moves) while
                    // it is written (150 MB for 10^7 values).
                    let mut s = String::new();
                    s.push('t');
                    for i in sm.labels() {
                        let _ = write!(s, ",{i}");
                    }
                    s.push('\n');
                    let n = sm.indices.len();
                    for (r, t) in sm.times.iter().enumerate() {
                        push_f64(&mut s, *t);
                        for c in 0..n {
                            s.push(',');
                            push_f64(&mut s, sm.values[k][r * n + c]);
                        }
                        s.push('\n');
                    }
                    out.push(OutputFile {
                        name: format!("{}.{var}.csv", sm.name),
                        contents: s,
                    });
                }
            }
            Monitor::Spike(sp) => {
                // Recorded variables follow `i,t`, sorted by name (as the monitor keeps them).
                let mut s = String::new();
                s.push_str("i,t");
                for v in &sp.variables {
                    let _ = write!(s, ",{v}");
                }
                s.push('\n');
                // A step's spikes share one time: its text is made once per step, not per spike
                // (5.5 M spikes of seed5 at N = 10^5 in 10^4 steps).
                let mut t_text = String::new();
                let mut t_bits = None;
                for (k, (i, t)) in sp.i.iter().zip(&sp.t).enumerate() {
                    if t_bits != Some(t.to_bits()) {
                        t_bits = Some(t.to_bits());
                        t_text.clear();
                        push_f64(&mut t_text, *t);
                    }
                    push_index(&mut s, *i as u64);
                    s.push(',');
                    s.push_str(&t_text);
                    for values in &sp.values {
                        s.push(',');
                        push_f64(&mut s, values[k]);
                    }
                    s.push('\n');
                }
                out.push(OutputFile {
                    name: format!("{}.spikes.csv", sp.name),
                    contents: s,
                });
            }
            Monitor::Rate(rm) => {
                let mut s = String::from("t,rate\n");
                for (t, r) in rm.times.iter().zip(&rm.rate) {
                    push_f64(&mut s, *t);
                    s.push(',');
                    push_f64(&mut s, *r);
                    s.push('\n');
                }
                out.push(OutputFile {
                    name: format!("{}.rate.csv", rm.name),
                    contents: s,
                });
            }
        }
    }
    out
}

/// Shortest text that reads back to the same `f64` (`0.1`, `1e-5`, `-0.0`, `nan`, `inf`).
pub fn fmt_f64(x: f64) -> String {
    let mut s = String::new();
    push_f64(&mut s, x);
    s
}

/// Appends [`fmt_f64`]'s text of `x` to `s` without allocating a string per number.
///
/// The layout is Rust's `{x:?}` (`0.1`, `1e-5`, `2.5e-5`, `1e16`, `100.0`; integral values
/// keep their `.0`, which every CSV reader accepts as a float), the digits the shortest that
/// read back to `x`, found by `zmij` five times faster than by `{:?}` (a monitor of 10^7
/// values took 0.68 s to write with `{:?}`, several times its simulation). Where two
/// shortest candidates are equally close (`1346055785615443.25`), `zmij` takes the one with
/// the even last digit, as Python's `repr` does; `{:?}` took the other.
pub fn push_f64(s: &mut String, x: f64) {
    if x.is_nan() {
        s.push_str("nan");
    } else if x.is_infinite() {
        s.push_str(if x > 0.0 { "inf" } else { "-inf" });
    } else if x == 0.0 {
        s.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
    } else {
        let mut buffer = zmij::Buffer::new();
        debug_layout(s, buffer.format_finite(x));
    }
}

/// Appends `number`, a finite non-zero float as `zmij` writes it, in the layout of Rust's
/// `{:?}`. The two agree for magnitudes in `[1e-4, 1e16)` (plain decimals, `.0` after
/// integers); `zmij` also writes `[1e-5, 1e-4)` as plain decimals (`0.000025`, where `{:?}`
/// writes `2.5e-5`) and puts a `+` in positive exponents (`1e+16`, `{:?}`: `1e16`).
fn debug_layout(s: &mut String, number: &str) {
    let body = match number.strip_prefix('-') {
        Some(rest) => {
            s.push('-');
            rest
        }
        None => number,
    };
    // At most 24 bytes: a plain scan beats a substring search.
    if let Some(e) = body.bytes().position(|b| b == b'e') {
        let (mantissa, exponent) = (&body[..e], &body[e + 1..]);
        s.push_str(mantissa);
        s.push('e');
        s.push_str(exponent.strip_prefix('+').unwrap_or(exponent));
    } else if let Some(digits) = body.strip_prefix("0.0000") {
        // 1e-5 <= |x| < 1e-4: the first digit is not zero.
        s.push_str(&digits[..1]);
        if digits.len() > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push_str("e-5");
    } else {
        s.push_str(body);
    }
}

/// Appends the decimal digits of `i` (what `{i}` writes, without the formatting machinery).
fn push_index(s: &mut String, mut i: u64) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    // The bytes are ASCII digits.
    s.push_str(std::str::from_utf8(&digits[k..]).unwrap_or_default());
}

/// Writes `files` into `dir` atomically (all or nothing); returns the final paths.
pub fn write_atomically(dir: &Path, files: &[OutputFile]) -> io::Result<Vec<PathBuf>> {
    let artifacts: Vec<Artifact> = files
        .iter()
        .map(|f| Artifact {
            name: f.name.clone(),
            bytes: f.contents.clone().into_bytes(),
        })
        .collect();
    write_artifacts(dir, &artifacts)
}

/// Writes `files` into `dir` atomically (all or nothing); returns the final paths.
pub fn write_artifacts(dir: &Path, files: &[Artifact]) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    // Unique per process and thread, so parallel sweep runs never share a staging folder.
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let k = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let staging = dir.join(format!(".snnc-staging-{}-{k}", std::process::id()));
    let result = (|| {
        fs::create_dir_all(&staging)?;
        for f in files {
            fs::write(staging.join(&f.name), &f.bytes)?;
        }
        let mut paths = Vec::new();
        for f in files {
            let dest = dir.join(&f.name);
            fs::rename(staging.join(&f.name), &dest)?;
            paths.push(dest);
        }
        Ok(paths)
    })();
    let _ = fs::remove_dir_all(&staging);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_are_written_as_decimal_integers() {
        for i in [0u64, 7, 10, 99, 100, 4_294_967_295, u64::MAX] {
            let mut s = String::from("x");
            push_index(&mut s, i);
            assert_eq!(s, format!("x{i}"));
        }
    }

    #[test]
    fn spikes_sharing_a_step_share_its_time_text_only() {
        use crate::monitor::SpikeMonitor;
        use crate::runtime::schedule::{Place, When};
        // Two spikes in one step, then a later step, then -0.0 and 0.0 (equal as numbers,
        // different texts): the cached text must follow the bits, not the value.
        let m = SpikeMonitor {
            name: "M".into(),
            source: 0,
            start: 0,
            stop: 12,
            record: true,
            variables: vec!["v".into()],
            i: vec![3, 11, 0, 5, 6],
            t: vec![0.0001, 0.0001, 0.0003, -0.0, 0.0],
            values: vec![vec![1.5, f64::NAN, -0.07, 2.0, 1e-5]],
            count: vec![0; 12],
            place: Place::new(When::THRESHOLDS, 1, "spikemonitor"),
        };
        let files = monitor_files(&[Monitor::Spike(m)]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "M.spikes.csv");
        assert_eq!(
            files[0].contents,
            "i,t,v\n3,0.0001,1.5\n11,0.0001,nan\n0,0.0003,-0.07\n5,-0.0,2.0\n6,0.0,1e-5\n"
        );
    }

    #[test]
    fn floats_are_written_in_the_layout_of_rust_debug() {
        // Edge cases of both layouts and of the switch between them, then random bit
        // patterns (every magnitude) and short decimals (the common case in monitors).
        let mut xs = vec![
            1.0,
            -1.0,
            0.1,
            1e-4,
            1e-5,
            9.999999999999999e-5,
            0.00012,
            2.5e-5,
            1e15,
            1e16,
            9999999999999998.0,
            1e17,
            123456789.0,
            100.0,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e21,
            1e22,
            9007199254740993.0,
            0.3,
            1e100,
            1e-100,
            0.0299,
            -0.07,
            1.0 / 3.0,
        ];
        let mut z = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            z ^= z << 13;
            z ^= z >> 7;
            z ^= z << 17;
            z
        };
        for _ in 0..300_000 {
            let bits = f64::from_bits(next());
            let u = (next() >> 11) as f64 / 9_007_199_254_740_992.0;
            let scale = 10f64.powi((next() % 44) as i32 - 22);
            xs.extend([
                bits,
                u * scale,
                -(u * 1000.0).round() / 1000.0,
                (u * 1e5).floor(),
            ]);
        }
        let mut ties = 0;
        let total = xs.len();
        for x in xs.into_iter().filter(|x| x.is_finite()) {
            let mut s = String::new();
            push_f64(&mut s, x);
            let rust = format!("{x:?}");
            assert_eq!(s.parse::<f64>().ok(), Some(x), "{s} does not read back");
            if s != rust {
                // Where x lies exactly halfway between the two shortest candidates (x =
                // 1346055785615443.25), `zmij` takes the even last digit, as Python's `repr`
                // does, and `{:?}` the other: same length, same text but that digit.
                let (a, b) = (s.as_bytes(), rust.as_bytes());
                let last = a.len() - 1;
                assert!(
                    a.len() == b.len() && a[..last] == b[..last] && a[last] % 2 == 0,
                    "{s} against {rust} (bits {:#x})",
                    x.to_bits()
                );
                ties += 1;
            }
        }
        // Ties need an exact value with few fraction bits (0.08% of these values): nearly
        // every number is written exactly as before.
        assert!(ties * 100 < total, "{ties} ties in {total}");
        assert_eq!(fmt_f64(-0.0), "-0.0");
        assert_eq!(fmt_f64(0.0), "0.0");
    }

    #[test]
    fn floats_round_trip() {
        for x in [0.1, 1e-5, 0.0299, -0.07, 1.0 / 3.0, 123456789.0, 5e-324] {
            assert_eq!(fmt_f64(x).parse::<f64>().ok(), Some(x));
        }
    }
}
