//! The command line: raw flags are parsed by clap into [`Cli`], validated into a run
//! configuration, and executed. This is the only module that prints or decides exit codes.
//!
//! Exit codes: 0 success, 1 the model or script is wrong (diagnostics printed), 2 usage or I/O
//! error.

pub mod interrupt;
mod progress;
mod run;

use crate::diagnostics::render_all_styled;
use crate::script::{run_script, ScriptOptions};
use crate::source::SourceFile;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Exit status: the run succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit status: the model or script is wrong (diagnostics were printed).
pub const EXIT_MODEL: i32 = 1;
/// Exit status: bad command line, or a file could not be read or written.
pub const EXIT_USAGE: i32 = 2;

const AFTER_HELP: &str = "\
Examples:
  snnc run examples/seed3_refractory.eq --out out/            write monitors as CSV
  snnc run examples/seed3_refractory.eq --out out/ --plot     ... plus a PNG per monitor
  snnc run model.eq --format csv,npy --out out/               ... plus NumPy .npy files
  snnc run model.eq --set N=4000 --seed 1                     override a constant, fix the seed
  snnc run model.eq --sweep tau=5*ms,10*ms --sweep I=1,2      run the grid in parallel
  snnc check model.eq                                         parse and check only

Exit codes:
  0  success
  1  the model or script is wrong (the message names file:line:column)
  2  usage error, or a file could not be read or written";

/// snnc: run Brian2 model files (`.eq`) fast.
#[derive(Parser, Debug)]
#[command(name = "snnc", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: integration methods chosen, backend, seed, per-phase times, cache use.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour diagnostics: auto (on a terminal), always, never.
    #[arg(long, value_enum, global = true, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a model file and write its monitors to a folder.
    ///
    /// Example: snnc run examples/seed2_threshold.eq --out out/
    Run(RunArgs),
    /// Parse and check a model file without simulating.
    Check {
        /// The `.eq` file.
        file: PathBuf,
        /// Replace the value of a script constant (repeatable).
        #[arg(long = "set", value_name = "NAME=EXPR")]
        set: Vec<String>,
    },
}

/// Flags of `snnc run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The `.eq` file.
    pub file: PathBuf,
    /// Output folder for the monitors' files.
    #[arg(long, default_value = "snnc-out")]
    pub out: PathBuf,
    /// Seed all random numbers (as `seed(N)` at the top of the script).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replace the value of a script constant: `--set N=100000` (repeatable).
    #[arg(long = "set", value_name = "NAME=EXPR")]
    pub set: Vec<String>,
    /// Which backend runs the kernels.
    #[arg(long, value_enum, default_value_t = BackendArg::Jit)]
    pub backend: BackendArg,
    /// Worker threads for large groups (0: all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Compute each neuron's and synapse's exp, expm1 and exprel with an inline polynomial
    /// (within 3 units in the last place of libm) instead of calling libm, and divide by
    /// constants as multiplications by their reciprocals: Hodgkin-Huxley models run about
    /// 1.5x faster. Both backends still agree bit for bit.
    #[arg(long)]
    pub fast_math: bool,
    /// Refuse runs that would need more than this much memory (e.g. 2G, 500M).
    #[arg(long, value_name = "BYTES")]
    pub max_memory: Option<String>,
    /// Output formats, comma-separated: csv (CONTRACT §4), npy (NumPy, with index.json).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "csv")]
    pub format: Vec<FormatArg>,
    /// Also draw a figure per monitor next to the data (raster, traces, rate).
    #[arg(long)]
    pub plot: bool,
    /// Image format of the figures (png by default); implies `--plot`.
    #[arg(long, value_enum)]
    pub plot_format: Option<PlotFormatArg>,
    /// Run the grid of values of a constant: `--sweep tau=5*ms,10*ms` (repeatable); each
    /// combination goes to `OUT/NAME=v,...`, with `OUT/summary.csv`.
    #[arg(long, value_name = "NAME=v1,v2,...")]
    pub sweep: Vec<String>,
}

/// `--backend` values.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BackendArg {
    /// The reference interpreter.
    Interp,
    /// The Cranelift JIT.
    Jit,
}

/// `--format` values.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// CSV files (CONTRACT §4).
    Csv,
    /// NumPy `.npy` files plus `index.json`.
    Npy,
}

/// `--plot-format` values.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PlotFormatArg {
    /// PNG images.
    Png,
    /// SVG images.
    Svg,
}

/// `--color` values.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How much to print, and how.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ui {
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
    pub(crate) color: bool,
}

impl Ui {
    fn new(cli: &Cli) -> Ui {
        let color = match cli.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Ui {
            quiet: cli.quiet,
            verbose: cli.verbose,
            color,
        }
    }

    /// Prints diagnostics to stderr.
    pub(crate) fn diagnostics(&self, diags: &[crate::diagnostics::Diagnostic], src: &SourceFile) {
        eprint!("{}", render_all_styled(diags, src, self.color));
    }

    /// Prints an error line to stderr.
    pub(crate) fn error(&self, msg: &str) {
        if self.color {
            eprintln!("\x1b[1;31merror\x1b[0m: {msg}");
        } else {
            eprintln!("error: {msg}");
        }
    }
}

pub(crate) fn overrides(set: &[String]) -> Result<Vec<(String, String)>, String> {
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
pub(crate) fn parse_bytes(s: &str) -> Result<u64, String> {
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

/// Reads a model file; the error is the exit code (after printing why).
pub(crate) fn read(file: &PathBuf, ui: &Ui) -> Result<SourceFile, i32> {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(file.display().to_string(), text)),
            Err(e) => {
                ui.error(&format!(
                    "{} is not valid UTF-8 (invalid byte at offset {})",
                    file.display(),
                    e.utf8_error().valid_up_to()
                ));
                Err(EXIT_MODEL)
            }
        },
        Err(e) => {
            ui.error(&format!("cannot read {}: {e}", file.display()));
            Err(EXIT_USAGE)
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> i32 {
    let ui = Ui::new(&cli);
    match cli.command {
        Command::Check { file, set } => {
            let src = match read(&file, &ui) {
                Ok(s) => s,
                Err(c) => return c,
            };
            let overrides = match overrides(&set) {
                Ok(o) => o,
                Err(m) => {
                    ui.error(&m);
                    return EXIT_USAGE;
                }
            };
            let opts = ScriptOptions {
                overrides,
                dry_run: true,
                threads: 1,
                seed: Some(0),
                backend: crate::backend::BackendKind::Jit,
                ..ScriptOptions::default()
            };
            match run_script(&src, &opts) {
                Ok(outcome) => {
                    if ui.verbose {
                        for n in &outcome.notes {
                            eprint!("{}", n.render_styled(&src, ui.color));
                        }
                    }
                    if !ui.quiet {
                        println!("{}: ok", file.display());
                    }
                    EXIT_OK
                }
                Err(e) => {
                    ui.diagnostics(&e.diagnostics, &src);
                    EXIT_MODEL
                }
            }
        }
        Command::Run(args) => run::run(args, &ui),
    }
}
