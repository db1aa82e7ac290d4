//! Progress of `run()` calls on stderr: an indicatif bar with elapsed time and ETA when stderr
//! is a terminal and a run takes longer than about a second; otherwise, when the script asked
//! for `report='text'`, Brian2's plain report lines, one per 10 % of the run. Nothing with `-q`.
//! The environment variable `SNNC_PROGRESS_DELAY_MS` changes the one-second delay (tests set
//! it to 0).

use super::Ui;
use crate::script::hooks::{ProgressFn, RunProgress};
use crate::units::{Dimension, Quantity};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs shorter than this never show a bar.
const BAR_AFTER: Duration = Duration::from_secs(1);

fn bar_after() -> Duration {
    std::env::var("SNNC_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(BAR_AFTER)
}

struct State {
    started: Instant,
    decile: u64,
    bar: Option<ProgressBar>,
}

/// The progress hook for a run, or `None` when nothing should be shown.
pub(crate) fn hook(ui: &Ui) -> Option<ProgressFn> {
    if ui.quiet {
        return None;
    }
    let terminal = std::io::stderr().is_terminal();
    let delay = bar_after();
    let state = Mutex::new(State {
        started: Instant::now(),
        decile: 0,
        bar: None,
    });
    Some(Arc::new(move |p: &RunProgress| {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        if p.done == 0 {
            s.started = Instant::now();
            s.decile = 0;
            s.bar = None;
            if !terminal && p.report {
                eprintln!("{}", start_line(p));
            }
            return;
        }
        let elapsed = s.started.elapsed();
        if terminal {
            if s.bar.is_none() && elapsed >= delay && p.done < p.steps {
                s.bar = Some(new_bar(p));
            }
            if let Some(bar) = &s.bar {
                bar.set_position(p.done);
                if p.done >= p.steps {
                    bar.finish_and_clear();
                }
            }
        } else if p.report && p.steps > 0 {
            let decile = p.done * 10 / p.steps;
            if decile > s.decile {
                s.decile = decile;
                eprintln!("{}", step_line(p, elapsed.as_secs_f64()));
            }
        }
    }))
}

fn new_bar(p: &RunProgress) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(p.steps), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {percent:>3}% simulated, ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_position(p.done);
    bar
}

/// `Starting simulation at t=0. s for a duration of 50. ms` (Brian2's wording).
pub(crate) fn start_line(p: &RunProgress) -> String {
    format!(
        "Starting simulation at t={} for a duration of {}",
        Quantity::new(p.start, Dimension::second()).display(),
        Quantity::new(p.duration, Dimension::second()).display()
    )
}

/// `0.005 s (10%) simulated in < 1s, estimated < 1s remaining.`, or at the end
/// `0.05 s (100%) simulated in < 1s` (Brian2's wording).
pub(crate) fn step_line(p: &RunProgress, elapsed: f64) -> String {
    let completed = p.done as f64 / p.steps as f64;
    let percent = (completed * 100.0).floor() as u64;
    let t = if p.done >= p.steps {
        p.duration
    } else {
        completed * p.duration
    };
    let mut line = format!(
        "{} s ({percent}%) simulated in {}",
        python_float((t * 1e12).round() / 1e12),
        format_time(elapsed)
    );
    if p.done < p.steps {
        let remaining = ((1.0 - completed) / completed * elapsed).round();
        line.push_str(&format!(
            ", estimated {} remaining.",
            format_time(remaining)
        ));
    }
    line
}

/// Python's `repr` of a float (`0.1`, `1.0`, `1e-05`).
fn python_float(x: f64) -> String {
    let s = format!("{x:?}");
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// Brian2's `_format_time`: `< 1s`, `12s`, `3m 20s`, `1h 2m 3s`.
fn format_time(secs: f64) -> String {
    if !secs.is_finite() {
        return "unknown".into();
    }
    let mut s = secs as u64;
    if s == 0 {
        return "< 1s".into();
    }
    let mut parts = Vec::new();
    if s >= 3600 {
        parts.push(format!("{}h", s / 3600));
        s %= 3600;
    }
    if s >= 60 {
        parts.push(format!("{}m", s / 60));
        s %= 60;
    }
    if s > 0 {
        parts.push(format!("{s}s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_use_brian2_wording() {
        let mut p = RunProgress {
            start: 0.0,
            duration: 1.0,
            report: true,
            done: 0,
            steps: 10000,
        };
        assert_eq!(
            start_line(&p),
            "Starting simulation at t=0. s for a duration of 1. s"
        );
        p.done = 1000;
        assert_eq!(
            step_line(&p, 0.2),
            "0.1 s (10%) simulated in < 1s, estimated 2s remaining."
        );
        p.done = 10000;
        assert_eq!(step_line(&p, 75.0), "1.0 s (100%) simulated in 1m 15s");
        assert_eq!(python_float(1e-5), "1e-05");
        assert_eq!(format_time(3725.0), "1h 2m 5s");
    }
}
