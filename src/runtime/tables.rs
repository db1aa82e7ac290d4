//! `TimedArray`: values on a time grid, read in model strings as `ta(t)`, or as `ta(t, i)` when
//! the values form a two-dimensional array (one row per time step, one column per index).
//!
//! The row for time `t` follows Brian2's C++ implementation: with an upsampling factor
//! `K = max(2^ceil(log2(8·dt_table/dt_group)), 1)` and `ε = dt_table/K`, the index is
//! `int((t/ε + 0.5)/K)` clipped to the array, so row `k` holds on `[k·dt, (k+1)·dt)` and the
//! last row is held after the end. The runtime writes the current row of each table (one value
//! for a one-dimensional table) into a column at the start of every step; kernels read that
//! column, and a two-dimensional lookup picks its element, NaN outside the row as in Brian2.

use crate::backend::funcs;
use crate::units::Dimension;

/// A one- or two-dimensional `TimedArray`.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedArray {
    /// Values in SI units; row after row for a two-dimensional table. `Network::add_table`
    /// moves them into a column of the network (kernels read it for lookups at any time),
    /// leaving this empty; `rows` keeps the count.
    pub values: Vec<f64>,
    /// The number of rows (time steps).
    pub rows: usize,
    /// The number of columns of a two-dimensional table (at least 1); `None` for a
    /// one-dimensional one.
    pub columns: Option<usize>,
    /// Their dimension.
    pub dim: Dimension,
    /// The table's time step (s).
    pub dt: f64,
}

impl TimedArray {
    /// A table of `values` (row after row when `columns` is given).
    pub fn new(values: Vec<f64>, columns: Option<usize>, dim: Dimension, dt: f64) -> TimedArray {
        let rows = values.len() / columns.unwrap_or(1).max(1);
        TimedArray {
            values,
            rows,
            columns,
            dim,
            dt,
        }
    }

    /// The number of values in a row: the columns, or 1 for a one-dimensional table.
    pub fn row_len(&self) -> usize {
        self.columns.unwrap_or(1).max(1)
    }

    /// The number of rows (time steps).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The row at time `t` of the table whose values are `values` (see `values`), for a
    /// group whose step is `group_dt`; all NaN for an empty table.
    pub fn row_at(&self, values: &[f64], t: f64, group_dt: f64, out: &mut [f64]) {
        let width = self.row_len();
        let rows = self.rows.min(values.len() / width);
        if rows == 0 {
            out.fill(f64::NAN);
            return;
        }
        let idx = funcs::timed_row(t, group_dt, self.dt, rows as f64) as usize;
        let row = &values[idx * width..(idx + 1) * width];
        for (o, v) in out.iter_mut().zip(row) {
            *o = *v;
        }
    }

    /// The value of a one-dimensional table at time `t` (the first column of a
    /// two-dimensional one).
    pub fn value_at(&self, t: f64, group_dt: f64) -> f64 {
        let mut v = [f64::NAN];
        self.row_at(&self.values, t, group_dt, &mut v);
        v[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hold_on_their_interval_and_after_the_end() {
        // BRIAN2-SEMANTICS §7: values [0, 1], dt 0.4 ms, read at 0.1 ms steps over 0.8 ms
        // give 0,0,0,0,1,1,1,1; afterwards the last value is held.
        let ta = TimedArray::new(vec![0.0, 1.0], None, Dimension::DIMENSIONLESS, 0.4e-3);
        let got: Vec<f64> = (0..10)
            .map(|n| ta.value_at(n as f64 * 1e-4, 1e-4))
            .collect();
        assert_eq!(got, vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn rows_of_a_two_dimensional_table_follow_the_same_grid() {
        // Brian2's docstring example: [[1, 2], [3, 4], [5, 6]] with dt 0.1 ms, read at 0.1 ms
        // steps, gives rows [1, 2], [3, 4], [5, 6], then [5, 6] held after the end.
        let ta = TimedArray::new(
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            Some(2),
            Dimension::DIMENSIONLESS,
            1e-4,
        );
        let mut row = [0.0; 2];
        let mut got = Vec::new();
        for n in 0..5 {
            ta.row_at(&ta.values, n as f64 * 1e-4, 1e-4, &mut row);
            got.push(row);
        }
        assert_eq!(
            got,
            vec![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [5.0, 6.0], [5.0, 6.0]]
        );
    }
}
