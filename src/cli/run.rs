//! `snnc run`: one run, or a sweep over a grid of constants, and the files they write.

use super::{overrides, parse_bytes, progress, read, RunArgs, Ui};
use super::{BackendArg, FormatArg, PlotFormatArg, EXIT_MODEL, EXIT_OK, EXIT_USAGE};
use crate::backend::BackendKind;
use crate::monitor::Monitor;
use crate::output::plot::PlotFormat;
use crate::output::{artifacts, write_artifacts, written_monitors, Artifact, OutputOptions};
use crate::script::{run_script_with, Outcome, RunHooks, ScriptOptions};
use crate::source::SourceFile;
use crate::sweep::{run_sweep, summary_csv, SweepFailure, SweepParam};
use std::time::Instant;

/// Runs `snnc run`; returns the exit code.
pub(crate) fn run(args: RunArgs, ui: &Ui) -> i32 {
    let max_memory = match args.max_memory.as_deref().map(parse_bytes) {
        None => None,
        Some(Ok(b)) => Some(b),
        Some(Err(m)) => {
            ui.error(&m);
            return EXIT_USAGE;
        }
    };
    let params = match args
        .sweep
        .iter()
        .map(|s| SweepParam::parse(s))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(p) => p,
        Err(m) => {
            ui.error(&m);
            return EXIT_USAGE;
        }
    };
    for (k, p) in params.iter().enumerate() {
        if params[..k].iter().any(|q| q.name == p.name) {
            ui.error(&format!("--sweep {} is given twice", p.name));
            return EXIT_USAGE;
        }
    }
    let src = match read(&args.file, ui) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let overrides = match overrides(&args.set) {
        Ok(o) => o,
        Err(m) => {
            ui.error(&m);
            return EXIT_USAGE;
        }
    };
    let opts = ScriptOptions {
        seed: args.seed,
        overrides,
        backend: match args.backend {
            BackendArg::Interp => BackendKind::Interp,
            BackendArg::Jit => BackendKind::Jit,
        },
        dry_run: false,
        threads: args.threads,
        max_memory,
        interrupt: super::interrupt::install(),
        fast_math: args.fast_math,
    };
    let outputs = OutputOptions {
        csv: args.format.contains(&FormatArg::Csv),
        npy: args.format.contains(&FormatArg::Npy),
        plot: (args.plot || args.plot_format.is_some()).then_some(match args.plot_format {
            None | Some(PlotFormatArg::Png) => PlotFormat::Png,
            Some(PlotFormatArg::Svg) => PlotFormat::Svg,
        }),
    };
    if params.is_empty() {
        single(&args, &src, &opts, &outputs, ui)
    } else {
        sweep(&args, &src, &opts, &params, &outputs, ui)
    }
}

fn single(
    args: &RunArgs,
    src: &SourceFile,
    opts: &ScriptOptions,
    outputs: &OutputOptions,
    ui: &Ui,
) -> i32 {
    let start = Instant::now();
    let hooks = RunHooks {
        progress: progress::hook(ui),
        cache: None,
    };
    let outcome = match run_script_with(src, opts, &hooks) {
        Ok(o) => o,
        Err(e) => {
            ui.diagnostics(&e.diagnostics, src);
            return EXIT_MODEL;
        }
    };
    let ran = start.elapsed();
    if !ui.quiet {
        print_notes(&outcome, src, ui);
    }
    let t_write = Instant::now();
    let files = match artifacts(&outcome.networks(), outputs) {
        Ok(f) => f,
        Err(m) => {
            ui.error(&format!("cannot draw the figures: {m}"));
            return EXIT_USAGE;
        }
    };
    let paths = match write_artifacts(&args.out, &files) {
        Ok(p) => p,
        Err(e) => {
            ui.error(&format!(
                "cannot write output to {}: {e}",
                args.out.display()
            ));
            return EXIT_USAGE;
        }
    };
    if let Some(t) = outcome.interrupted {
        eprintln!("snnc: interrupted at t = {t} s; the files hold every step until then");
        return super::interrupt::EXIT_INTERRUPTED;
    }
    if ui.quiet {
        return EXIT_OK;
    }
    let net = &outcome.network;
    let nets = outcome.networks();
    let written = written_monitors(&nets);
    eprintln!(
        "snnc: {} group(s), {} monitor(s), {} steps of {} s; compile {:.3} s, simulate {:.3} s, total {:.3} s",
        nets.iter().map(|n| n.groups.len()).sum::<usize>(),
        written.len(),
        nets.iter().map(|n| n.step).sum::<u64>(),
        net.dt,
        net.timings.compile.as_secs_f64(),
        net.timings.simulate.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    for (_, m) in &written {
        if let Monitor::Spike(s) = m {
            eprintln!("  {}: {} spikes", s.name, s.i.len());
        }
    }
    let (synapses, bytes) = net.synapse_memory();
    if synapses > 0 {
        eprintln!(
            "  {synapses} synapses, {:.1} MB ({:.1} bytes per synapse)",
            bytes as f64 / 1e6,
            bytes as f64 / synapses as f64
        );
    }
    if ui.verbose {
        let other = ran.saturating_sub(net.timings.compile + net.timings.simulate);
        eprintln!(
            "  backend {}, seed {}, {} thread(s)",
            net.backend_kind().name(),
            outcome.seed,
            net.threads
        );
        eprintln!(
            "  phases: parse and build {:.3} s, compile {:.3} s, simulate {:.3} s, write {:.3} s",
            other.as_secs_f64(),
            net.timings.compile.as_secs_f64(),
            net.timings.simulate.as_secs_f64(),
            t_write.elapsed().as_secs_f64()
        );
        for g in &net.lean_groups {
            eprintln!("  group '{g}' stepped without storing not_refractory (nothing read it)");
        }
        for p in &paths {
            eprintln!("  wrote {}", p.display());
        }
    }
    eprintln!("  wrote {} file(s) to {}", paths.len(), args.out.display());
    EXIT_OK
}

/// Warnings and notes (as Brian2 logs them); with `-v` also the methods given in the script.
fn print_notes(outcome: &Outcome, src: &SourceFile, ui: &Ui) {
    for n in &outcome.notes {
        eprint!("{}", n.render_styled(src, ui.color));
    }
    if ui.verbose {
        for g in &outcome.network.groups {
            if let Some(m) = g.method {
                eprintln!(
                    "note: group '{}' is integrated with method '{}' (given in the script)",
                    g.name,
                    m.name()
                );
            }
        }
        for s in &outcome.network.synapses {
            if let Some(m) = s.method {
                eprintln!(
                    "note: synapses '{}' are integrated with method '{}' (given in the script)",
                    s.name,
                    m.name()
                );
            }
        }
    }
    if outcome.seed_was_random {
        eprintln!("note: no seed given; this run used --seed {}", outcome.seed);
    }
}

fn sweep(
    args: &RunArgs,
    src: &SourceFile,
    opts: &ScriptOptions,
    params: &[SweepParam],
    outputs: &OutputOptions,
    ui: &Ui,
) -> i32 {
    let start = Instant::now();
    let result = run_sweep(src, opts, params, |run, outcome| {
        let files = artifacts(&outcome.networks(), outputs)
            .map_err(|m| format!("cannot draw the figures: {m}"))?;
        let dir = args.out.join(&run.dir_name);
        write_artifacts(&dir, &files)
            .map_err(|e| format!("cannot write output to {}: {e}", dir.display()))?;
        Ok(())
    });
    let sweep = match result {
        Ok(s) => s,
        Err(e) => {
            let which = crate::sweep::dir_name(&e.params);
            return match e.error {
                SweepFailure::Script(err) => {
                    ui.error(&format!("the run with {which} failed:"));
                    ui.diagnostics(&err.diagnostics, src);
                    EXIT_MODEL
                }
                SweepFailure::Handler(m) => {
                    ui.error(&m);
                    EXIT_USAGE
                }
            };
        }
    };
    let summary = Artifact {
        name: "summary.csv".into(),
        bytes: summary_csv(&sweep).into_bytes(),
    };
    if let Err(e) = write_artifacts(&args.out, &[summary]) {
        ui.error(&format!(
            "cannot write output to {}: {e}",
            args.out.display()
        ));
        return EXIT_USAGE;
    }
    if !ui.quiet {
        for r in &sweep.runs {
            let spikes: Vec<String> = r
                .spikes
                .iter()
                .map(|s| format!("{} {} spikes ({:.3} Hz)", s.monitor, s.spikes, s.rate))
                .collect();
            eprintln!("  {}: {}", r.dir_name, spikes.join(", "));
        }
        if ui.verbose {
            eprintln!(
                "  kernels: {} compiled, {} reused from other combinations",
                sweep.compiled, sweep.reused
            );
        }
        eprintln!(
            "snnc: {} combination(s) in {:.3} s; wrote {}",
            sweep.runs.len(),
            start.elapsed().as_secs_f64(),
            args.out.join("summary.csv").display()
        );
    }
    EXIT_OK
}
