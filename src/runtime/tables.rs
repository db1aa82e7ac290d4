//! `TimedArray`: values on a time grid, read in model strings as `ta(t)`.
//!
//! The value for time `t` follows Brian2's C++ implementation: with an upsampling factor
//! `K = max(2^ceil(log2(8·dt_table/dt_group)), 1)` and `ε = dt_table/K`, the index is
//! `int((t/ε + 0.5)/K)` clipped to the array, so value `k` holds on `[k·dt, (k+1)·dt)` and the
//! last value is held after the end. The runtime writes the current value of each table into a
//! one-element column at the start of every step; kernels read that column.

use crate::units::Dimension;

/// A one-dimensional `TimedArray`.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedArray {
    /// Values in SI units.
    pub values: Vec<f64>,
    /// Their dimension.
    pub dim: Dimension,
    /// The table's time step (s).
    pub dt: f64,
}

impl TimedArray {
    /// The value at time `t` for a group whose step is `group_dt`.
    pub fn value_at(&self, t: f64, group_dt: f64) -> f64 {
        if self.values.is_empty() {
            return f64::NAN;
        }
        let k = (2f64.powf((8.0 / group_dt * self.dt).log2().ceil()) as i64).max(1) as f64;
        let eps = self.dt / k;
        let idx = ((t / eps + 0.5) / k).trunc();
        let idx = idx.clamp(0.0, (self.values.len() - 1) as f64) as usize;
        self.values[idx]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hold_on_their_interval_and_after_the_end() {
        // BRIAN2-SEMANTICS §7: values [0, 1], dt 0.4 ms, read at 0.1 ms steps over 0.8 ms
        // give 0,0,0,0,1,1,1,1; afterwards the last value is held.
        let ta = TimedArray {
            values: vec![0.0, 1.0],
            dim: Dimension::DIMENSIONLESS,
            dt: 0.4e-3,
        };
        let got: Vec<f64> = (0..10)
            .map(|n| ta.value_at(n as f64 * 1e-4, 1e-4))
            .collect();
        assert_eq!(got, vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    }
}
