//! The command line: raw flags are parsed by clap into [`Cli`], validated into a run
//! configuration, and executed. This is the only module that prints or decides exit codes.
//!
//! Exit codes: 0 success, 1 the model or script is wrong (diagnostics printed), 2 usage or I/O
//! error.

use crate::backend::BackendKind;
use crate::diagnostics::render_all;
use crate::output;
use crate::script::{run_script, ScriptOptions};
use crate::source::SourceFile;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Instant;

pub mod interrupt;

/// snnc: run Brian2 model files (`.eq`) fast.
#[derive(Parser, Debug)]
#[command(name = "snnc", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a model file and write its monitors to a folder.
    ///
    /// Example: snnc run examples/seed2_threshold.eq --out out/
    Run {
        /// The `.eq` file.
        file: PathBuf,
        /// Output folder for the monitors' CSV files.
        #[arg(long, default_value = "snnc-out")]
        out: PathBuf,
        /// Seed all random numbers (as `seed(N)` at the top of the script).
        #[arg(long)]
        seed: Option<u64>,
        /// Replace the value of a script constant: `--set N=100000` (repeatable).
        #[arg(long = "set", value_name = "NAME=EXPR")]
        set: Vec<String>,
        /// Which backend runs the kernels.
        #[arg(long, value_enum, default_value_t = BackendArg::Jit)]
        backend: BackendArg,
        /// Print nothing but errors.
        #[arg(short, long)]
        quiet: bool,
        /// Worker threads for large groups (0: all cores).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Refuse runs that would need more than this much memory (e.g. 2G, 500M).
        #[arg(long, value_name = "BYTES")]
        max_memory: Option<String>,
    },
    /// Parse and check a model file without simulating.
    Check {
        /// The `.eq` file.
        file: PathBuf,
        /// Replace the value of a script constant (repeatable).
        #[arg(long = "set", value_name = "NAME=EXPR")]
        set: Vec<String>,
    },
}

/// `--backend` values.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BackendArg {
    /// The reference interpreter.
    Interp,
    /// The Cranelift JIT.
    Jit,
}

fn overrides(set: &[String]) -> Result<Vec<(String, String)>, String> {
    set.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .filter(|(a, _)| !a.is_empty())
                .ok_or_else(|| format!("--set expects NAME=EXPR, got '{s}'"))
        })
        .collect()
}

/// Parses `2G`, `500M`, `64K` or a plain number of bytes.
fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.chars().last() {
        Some('K' | 'k') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M' | 'm') => (&t[..t.len() - 1], 1 << 20),
        Some('G' | 'g') => (&t[..t.len() - 1], 1 << 30),
        Some('T' | 't') => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    num.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x > 0.0)
        .map(|x| (x * mult as f64) as u64)
        .ok_or_else(|| format!("--max-memory expects a size such as 2G or 500M, got '{s}'"))
}

fn read(file: &PathBuf) -> Result<SourceFile, i32> {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(file.display().to_string(), text)),
            Err(e) => {
                eprintln!(
                    "error: {} is not valid UTF-8 (invalid byte at offset {})",
                    file.display(),
                    e.utf8_error().valid_up_to()
                );
                Err(1)
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            Err(2)
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> i32 {
    match cli.command {
        Command::Check { file, set } => {
            let src = match read(&file) {
                Ok(s) => s,
                Err(c) => return c,
            };
            let overrides = match overrides(&set) {
                Ok(o) => o,
                Err(m) => {
                    eprintln!("error: {m}");
                    return 2;
                }
            };
            let opts = ScriptOptions {
                overrides,
                dry_run: true,
                threads: 1,
                max_memory: None,
                backend: BackendKind::Jit,
                seed: Some(0),
                interrupt: None,
            };
            match run_script(&src, &opts) {
                Ok(_) => {
                    println!("{}: ok", file.display());
                    0
                }
                Err(e) => {
                    eprint!("{}", render_all(&e.diagnostics, &src));
                    1
                }
            }
        }
        Command::Run {
            file,
            out,
            seed,
            set,
            backend,
            quiet,
            threads,
            max_memory,
        } => {
            let max_memory = match max_memory.as_deref().map(parse_bytes) {
                None => None,
                Some(Ok(b)) => Some(b),
                Some(Err(m)) => {
                    eprintln!("error: {m}");
                    return 2;
                }
            };
            let src = match read(&file) {
                Ok(s) => s,
                Err(c) => return c,
            };
            let overrides = match overrides(&set) {
                Ok(o) => o,
                Err(m) => {
                    eprintln!("error: {m}");
                    return 2;
                }
            };
            let opts = ScriptOptions {
                seed,
                overrides,
                backend: match backend {
                    BackendArg::Interp => BackendKind::Interp,
                    BackendArg::Jit => BackendKind::Jit,
                },
                dry_run: false,
                threads,
                max_memory,
                interrupt: interrupt::install(),
            };
            let start = Instant::now();
            let outcome = match run_script(&src, &opts) {
                Ok(o) => o,
                Err(e) => {
                    eprint!("{}", render_all(&e.diagnostics, &src));
                    return 1;
                }
            };
            if !quiet {
                for line in &outcome.report {
                    eprintln!("{line}");
                }
                for n in &outcome.notes {
                    eprint!("{}", n.render(&src));
                }
                if outcome.seed_was_random {
                    eprintln!("note: no seed given; this run used --seed {}", outcome.seed);
                }
            }
            let files = output::monitor_files(&outcome.network.monitors);
            match output::write_atomically(&out, &files) {
                Ok(paths) => {
                    if !quiet {
                        let net = &outcome.network;
                        eprintln!(
                            "snnc: {} group(s), {} monitor(s), {} steps of {} s; compile {:.3} s, simulate {:.3} s, total {:.3} s",
                            net.groups.len(),
                            net.monitors.len(),
                            net.step,
                            net.dt,
                            net.timings.compile.as_secs_f64(),
                            net.timings.simulate.as_secs_f64(),
                            start.elapsed().as_secs_f64()
                        );
                        for m in &net.monitors {
                            if let crate::monitor::Monitor::Spike(s) = m {
                                eprintln!("  {}: {} spikes", s.name, s.i.len());
                            }
                        }
                        eprintln!("  wrote {} file(s) to {}", paths.len(), out.display());
                    }
                    if let Some(t) = outcome.interrupted {
                        eprintln!(
                            "snnc: interrupted at t = {t} s; the files hold every step until then"
                        );
                        return interrupt::EXIT_INTERRUPTED;
                    }
                    0
                }
                Err(e) => {
                    eprintln!("error: cannot write output to {}: {e}", out.display());
                    2
                }
            }
        }
    }
}
