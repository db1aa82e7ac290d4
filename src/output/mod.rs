//! Writing monitors to files in the layout of CONTRACT §4, atomically.
//!
//! Every file is first written into a hidden staging folder inside the output folder and only
//! renamed into place once all files were written, so a failed run leaves no half-written
//! output. Numbers use Rust's shortest round-trip formatting, so they read back to the same
//! `f64`.

use crate::monitor::Monitor;
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
                        s.push_str(&fmt_f64(*t));
                        for c in 0..n {
                            s.push(',');
                            s.push_str(&fmt_f64(sm.values[k][r * n + c]));
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
                let mut s = String::from("i,t\n");
                for (i, t) in sp.i.iter().zip(&sp.t) {
                    let _ = writeln!(s, "{i},{}", fmt_f64(*t));
                }
                out.push(OutputFile {
                    name: format!("{}.spikes.csv", sp.name),
                    contents: s,
                });
            }
            Monitor::Rate(rm) => {
                let mut s = String::from("t,rate\n");
                for (t, r) in rm.times.iter().zip(&rm.rate) {
                    let _ = writeln!(s, "{},{}", fmt_f64(*t), fmt_f64(*r));
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

/// Shortest text that reads back to the same `f64` (`0.1`, `1e-5`, `-0`, `NaN`, `inf`).
pub fn fmt_f64(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        let s = format!("{x:?}");
        // `{:?}` writes `1e-5` and `0.1`; integral values keep their `.0`, which every CSV
        // reader accepts as a float.
        s
    }
}

/// Writes `files` into `dir` atomically (all or nothing); returns the final paths.
pub fn write_atomically(dir: &Path, files: &[OutputFile]) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let staging = dir.join(format!(".snnc-staging-{}", std::process::id()));
    let result = (|| {
        fs::create_dir_all(&staging)?;
        for f in files {
            fs::write(staging.join(&f.name), &f.contents)?;
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
    fn floats_round_trip() {
        for x in [0.1, 1e-5, 0.0299, -0.07, 1.0 / 3.0, 123456789.0, 5e-324] {
            assert_eq!(fmt_f64(x).parse::<f64>().ok(), Some(x));
        }
    }
}
