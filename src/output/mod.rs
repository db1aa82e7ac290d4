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
    let vars = match source {
        Source::Group(g) => net.groups.get(g).map(|g| &g.variables),
        Source::Synapses(s) => net.synapses.get(s).map(|s| &s.variables),
    };
    vars.and_then(|vs| vs.iter().find(|v| v.name == var))
        .map(|v| v.dim.unit_name())
        .unwrap_or_else(|| "1".to_string())
}

/// Which files [`network_artifacts`] makes.
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

/// All output files of a network's monitors, as `opts` asks.
pub fn network_artifacts(net: &Network, opts: &OutputOptions) -> Result<Vec<Artifact>, String> {
    let mut files: Vec<Artifact> = Vec::new();
    if opts.csv {
        files.extend(monitor_files(&net.monitors).into_iter().map(Artifact::from));
    }
    if opts.npy {
        files.extend(npy::monitor_npy_files(net));
    }
    if let Some(format) = opts.plot {
        files.extend(plot::monitor_plots(net, format)?);
    }
    Ok(files)
}

/// The CSV files of all monitors.
pub fn monitor_files(monitors: &[Monitor]) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for m in monitors {
        match m {
            Monitor::State(sm) => {
                for (k, var) in sm.variables.iter().enumerate() {
                    let mut s = String::from("t");
                    for i in &sm.indices {
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
                let mut s = String::from("i,t");
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
pub fn push_f64(s: &mut String, x: f64) {
    if x.is_nan() {
        s.push_str("nan");
    } else if x.is_infinite() {
        s.push_str(if x > 0.0 { "inf" } else { "-inf" });
    } else {
        // `{:?}` writes `1e-5` and `0.1`; integral values keep their `.0`, which every CSV
        // reader accepts as a float.
        let _ = write!(s, "{x:?}");
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
    fn floats_round_trip() {
        for x in [0.1, 1e-5, 0.0299, -0.07, 1.0 / 3.0, 123456789.0, 5e-324] {
            assert_eq!(fmt_f64(x).parse::<f64>().ok(), Some(x));
        }
    }
}
