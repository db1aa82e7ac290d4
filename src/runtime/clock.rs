//! Clocks: Brian2's rule for which objects run when the network has several time steps
//! (`NeuronGroup(..., dt=1*ms)` beside the default clock).
//!
//! Each distinct `dt` is one clock. A run takes, for each clock, the steps from the one at the
//! start time to the one at the end time (both by [`timestep_at`]); the network repeatedly
//! takes the clock with the smallest time, stops when that clock has reached its end, and runs
//! the objects of every clock at the same time (within 10⁻⁴ of the smaller step, see
//! [`same_time`]) in the usual slot order; then those clocks advance by one step
//! (`brian2/core/network.py`, `Network.run` and `_nextclocks`; `brian2/core/clocks.py`).
//! With one clock this is the plain step loop.

/// Brian2's `Clock.epsilon_dt`: times closer than this fraction of a step are the same.
const EPSILON_DT: f64 = 1e-4;

/// The step of a clock with step `dt` at time `t` (Brian2's `Clock._calc_timestep`): `t/dt`
/// rounded when within 10⁻⁴ steps of an integer, else rounded up, so that a later run never
/// repeats a step.
pub fn timestep_at(t: f64, dt: f64) -> u64 {
    let r = (t / dt).round();
    let step = if r * dt == t || (r * dt - t).abs() / dt <= EPSILON_DT {
        r
    } else {
        (t / dt).ceil()
    };
    step.max(0.0) as u64
}

/// Whether two clocks at times `t1` and `t2` with steps `dt1` and `dt2` are at the same time
/// (Brian2's `Clock.same_time`: within 10⁻⁴ of the smaller step).
pub fn same_time(t1: f64, dt1: f64, t2: f64, dt2: f64) -> bool {
    (t1 - t2).abs() / dt1.min(dt2) < EPSILON_DT
}

/// One clock during a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Its step (s).
    pub dt: f64,
    /// Its current step: the next one to run, or the one running.
    pub step: u64,
    /// The first step not to run in this run.
    pub end: u64,
}

impl Clock {
    /// The clock with step `dt` for a run from `start` to `end` (s).
    pub fn for_run(dt: f64, start: f64, end: f64) -> Clock {
        let step = timestep_at(start, dt);
        Clock {
            dt,
            step,
            end: timestep_at(end, dt).max(step),
        }
    }

    /// Its current time: `step·dt`, as Brian2 computes it.
    pub fn t(&self) -> f64 {
        self.step as f64 * self.dt
    }
}

/// The clocks of a run, ticked in Brian2's order.
#[derive(Clone, Debug)]
pub struct Clocks {
    /// The clocks; number 0 is the default clock.
    pub clocks: Vec<Clock>,
    /// Which clocks run in the current tick (set by [`Clocks::next_tick`]).
    pub active: Vec<bool>,
}

impl Clocks {
    /// The clocks of a run (the default clock first).
    pub fn new(clocks: Vec<Clock>) -> Clocks {
        let n = clocks.len();
        Clocks {
            clocks,
            active: vec![false; n],
        }
    }

    /// Marks the clocks of the next tick active and returns its time, or `None` when the run
    /// is over (the earliest clock has reached its end).
    pub fn next_tick(&mut self) -> Option<f64> {
        // The first clock with the smallest time (Python's `min` keeps the first).
        let mut first = 0;
        for (k, c) in self.clocks.iter().enumerate() {
            if c.t() < self.clocks[first].t() {
                first = k;
            }
        }
        let m = *self.clocks.get(first)?;
        if m.step >= m.end {
            return None;
        }
        for (a, c) in self.active.iter_mut().zip(&self.clocks) {
            *a = same_time(c.t(), c.dt, m.t(), m.dt);
        }
        Some(m.t())
    }

    /// Advances the clocks that ran in this tick.
    pub fn advance(&mut self) {
        for (c, &a) in self.clocks.iter_mut().zip(&self.active) {
            if a {
                c.step += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All ticks of a run, as (time, active clocks).
    fn ticks(dts: &[f64], start: f64, end: f64) -> Vec<(f64, Vec<bool>)> {
        let mut c = Clocks::new(dts.iter().map(|&d| Clock::for_run(d, start, end)).collect());
        let mut out = Vec::new();
        while let Some(t) = c.next_tick() {
            out.push((t, c.active.clone()));
            c.advance();
        }
        out
    }

    #[test]
    fn timestep_rounds_within_epsilon_and_up_otherwise() {
        // 0.3 ms / 0.1 ms is 2.9999999999999996: on the grid.
        assert_eq!(timestep_at(0.3e-3, 0.1e-3), 3);
        assert_eq!(timestep_at(0.15e-3, 0.1e-3), 2);
        assert_eq!(timestep_at(0.0, 0.1e-3), 0);
        // 1.00005 steps: within 1e-4 of 1.
        assert_eq!(timestep_at(1.00005e-3, 1e-3), 1);
        assert_eq!(timestep_at(1.0002e-3, 1e-3), 2);
    }

    #[test]
    fn a_slower_clock_runs_with_every_tenth_tick() {
        let t = ticks(&[1e-4, 1e-3], 0.0, 2.05e-3);
        // 0.1 ms clock: steps 0..21 (2.05 ms rounds up to 21); 1 ms clock: 0, 1, 2 ms.
        assert_eq!(t.len(), 21);
        let slow: Vec<usize> = (0..t.len()).filter(|&k| t[k].1[1]).collect();
        assert_eq!(slow, vec![0, 10, 20]);
        assert!(t.iter().all(|x| x.1[0]));
    }

    #[test]
    fn clocks_that_do_not_divide_each_other_interleave_in_time_order() {
        // 0.1 ms and 0.25 ms over 1 ms: together at 0, 0.5 ms; the 0.25 ms clock alone at
        // 0.25 and 0.75 ms.
        let t = ticks(&[1e-4, 2.5e-4], 0.0, 1e-3);
        let times: Vec<f64> = t.iter().map(|x| (x.0 * 1e5).round() / 100.0).collect();
        assert_eq!(
            times,
            vec![0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9]
        );
        let both: Vec<bool> = t.iter().map(|x| x.1[0] && x.1[1]).collect();
        assert_eq!(both.iter().filter(|&&b| b).count(), 2);
        assert!(t[3].1 == vec![false, true] && t[9].1 == vec![false, true]);
    }

    #[test]
    fn a_second_run_continues_where_the_first_ended() {
        // run(0.15 ms) then run(0.15 ms) with 0.1 ms and 0.05 ms clocks: the 0.05 ms clock
        // runs 3 + 3 steps, the 0.1 ms clock 2 (0, 0.1 ms) and then 1 (0.2 ms).
        let a = ticks(&[1e-4, 5e-5], 0.0, 1.5e-4);
        let b = ticks(&[1e-4, 5e-5], 1.5e-4, 3e-4);
        let count = |t: &[(f64, Vec<bool>)], k: usize| t.iter().filter(|x| x.1[k]).count();
        assert_eq!((count(&a, 0), count(&a, 1)), (2, 3));
        assert_eq!((count(&b, 0), count(&b, 1)), (1, 3));
    }
}
