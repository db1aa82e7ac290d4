//! What a kernel's body touches, computed once per compile: which columns it indexes and how,
//! whether it needs `pre`/`post`, how many spikes one element can emit, and whether the element
//! loop may be vectorised.
//!
//! The JIT uses this to decide which bounds checks run once per call at the boundary (in
//! [`super::abi`]) and which run per element in compiled code, and to choose between the `f64x2`
//! loop and the scalar loop. It only reads the IR; it must not change what any kernel computes.

use crate::lower::ir::{BinOp, Domain, Expr, Index, Kernel, Stmt, UnOp};

/// The index modes used with one column in the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Modes {
    /// `column[e - base]`.
    pub elem: bool,
    /// `column[pre[e]]`.
    pub pre: bool,
    /// `column[post[e]]`.
    pub post: bool,
    /// `column[0]`.
    pub shared: bool,
}

impl Modes {
    fn add(&mut self, index: Index) {
        match index {
            Index::Elem => self.elem = true,
            Index::Pre => self.pre = true,
            Index::Post => self.post = true,
            Index::Shared => self.shared = true,
        }
    }
}

/// The summary of one kernel's body.
#[derive(Clone, Debug)]
pub(super) struct Usage {
    /// Index modes per column (loads and stores together).
    pub modes: Vec<Modes>,
    /// True if any expression or statement needs `pre[e]`.
    pub uses_pre: bool,
    /// True if any expression or statement needs `post[e]`.
    pub uses_post: bool,
    /// Number of `EmitSpike` statements: an element visit appends at most this many spikes.
    pub n_emit: usize,
    /// True if the element loop can run two elements at a time (see [`Usage::of`]).
    pub vectorisable: bool,
    /// The sites of the body's `Rand`/`Randn`, in order of first appearance: the entry block
    /// computes each site's random stream once per call.
    pub rand_sites: Vec<u32>,
    /// True if the body draws normal numbers (`Randn`), whose rare slow path is a call.
    pub normal: bool,
    /// Expression nodes in the body: a measure of its code size, for choosing how far to
    /// unroll the vector loop.
    pub body_nodes: usize,
    /// For each body statement: true for a store whose value may be NaN or infinite even
    /// though everything the kernel reads is finite; only those go into the probe that tells
    /// the runtime to scan (see [`finite_by_construction`]).
    pub check_store: Vec<bool>,
    /// For each body statement: true for a store that changes its cell only in elements that
    /// spike (see [`spike_only_stores`]); the vector loop performs it in the block that appends
    /// spikes, which iterations without spikes skip.
    pub spike_only: Vec<bool>,
}

impl Usage {
    /// Summarises `kernel`'s body.
    ///
    /// The loop is vectorisable when two neighbouring elements can never observe each other:
    /// the domain is a `Range` (so lanes are `e` and `e + 1`, contiguous in every `Elem`
    /// column), nothing uses `pre`/`post` (those could make two elements write one cell), no
    /// column is stored through `Shared` (every element would write the same cell), and no
    /// column that is written at all is also read through `Shared` (element `e` could write
    /// cell 0 that element `e + 1` reads). Under these rules each element reads only cells it
    /// alone writes, or cells nobody writes, so evaluating both lanes statement by statement
    /// gives the same result as the sequential loop.
    pub fn of(kernel: &Kernel) -> Usage {
        let mut u = Usage {
            modes: vec![Modes::default(); kernel.columns.len()],
            uses_pre: false,
            uses_post: false,
            n_emit: 0,
            vectorisable: false,
            rand_sites: Vec::new(),
            normal: false,
            body_nodes: 0,
            check_store: Vec::new(),
            spike_only: spike_only_stores(kernel),
        };
        let mut temp_finite = vec![false; kernel.n_temps as usize];
        for stmt in &kernel.body {
            let check = match stmt {
                Stmt::Let { temp, value } => {
                    let f = finite_by_construction(value, kernel, &temp_finite);
                    if let Some(slot) = temp_finite.get_mut(*temp as usize) {
                        *slot = f;
                    }
                    false
                }
                Stmt::Store { value, .. } => !finite_by_construction(value, kernel, &temp_finite),
                Stmt::EmitSpike { .. } => false,
            };
            u.check_store.push(check);
        }
        let mut stored_shared = false;
        for stmt in &kernel.body {
            match stmt {
                Stmt::Let { value, .. } => u.expr(value),
                Stmt::Store { col, index, value } => {
                    u.index(*col, *index);
                    stored_shared |= *index == Index::Shared;
                    u.expr(value);
                }
                Stmt::EmitSpike { cond } => {
                    u.n_emit += 1;
                    u.expr(cond);
                }
            }
        }
        let written_and_read_shared = kernel
            .columns
            .iter()
            .zip(&u.modes)
            .any(|(decl, m)| decl.written && m.shared);
        u.vectorisable = kernel.domain == Domain::Range
            && !u.uses_pre
            && !u.uses_post
            && !stored_shared
            && !written_and_read_shared;
        u
    }

    fn index(&mut self, col: u32, index: Index) {
        if let Some(m) = self.modes.get_mut(col as usize) {
            m.add(index);
        }
        self.index_mode(index);
    }

    fn index_mode(&mut self, index: Index) {
        match index {
            Index::Pre => self.uses_pre = true,
            Index::Post => self.uses_post = true,
            Index::Elem | Index::Shared => {}
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.body_nodes += 1;
        match expr {
            Expr::Const(_) | Expr::Scalar(_) | Expr::Temp(_) => {}
            Expr::Rand { site } | Expr::Randn { site } => {
                self.normal |= matches!(expr, Expr::Randn { .. });
                if !self.rand_sites.contains(site) {
                    self.rand_sites.push(*site);
                }
            }
            Expr::Load { col, index } => self.index(*col, *index),
            // A gathered column is read whole, like a shared cell: it must not be empty, and a
            // kernel that also wrote it could not be evaluated two lanes at a time.
            Expr::Gather { col, index } => {
                self.index(*col, Index::Shared);
                self.expr(index);
            }
            Expr::ElemIndex(index) => self.index_mode(*index),
            Expr::Unary { arg, .. } => self.expr(arg),
            Expr::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            Expr::Select {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.expr(then);
                self.expr(otherwise);
            }
            Expr::Call { args, .. } => args.iter().for_each(|a| self.expr(a)),
        }
    }
}

/// For each statement of `kernel.body`, whether it is a store `c[e] = select(s, x, old)` that
/// writes back the cell's current value in every element where `s` is zero, with `s` the
/// condition of an earlier `spike if s` (`lastspike = select(spiked, t, lastspike)`). Such a
/// store may be skipped in a group of elements none of which spikes, and done after the rest
/// of the body in the others, provided nothing later in the body reads or writes column `c`.
///
/// `s` must be a temporary not reassigned since the spike statement (so its mask is that
/// spike's), and `old` a load of `c[e]`, directly or through a temporary, with no store to `c`
/// since that load.
pub(super) fn spike_only_stores(kernel: &Kernel) -> Vec<bool> {
    let body = &kernel.body;
    let mut out = vec![false; body.len()];
    for (pos, stmt) in body.iter().enumerate() {
        let Stmt::Store {
            col,
            index: Index::Elem,
            value: Expr::Select {
                cond, otherwise, ..
            },
        } = stmt
        else {
            continue;
        };
        let Expr::Temp(s) = **cond else { continue };
        let before = &body[..pos];
        // The last assignment of `s` is before the last `spike if s`.
        let spiked = before
            .iter()
            .rposition(|st| matches!(st, Stmt::EmitSpike { cond: Expr::Temp(t) } if *t == s));
        let assigned = before
            .iter()
            .rposition(|st| matches!(st, Stmt::Let { temp, .. } if *temp == s));
        let Some(spiked) = spiked else { continue };
        if assigned.is_some_and(|a| a > spiked) {
            continue;
        }
        // `old` is the cell's value now: where it was read, and no store to `col` since.
        let read_at = match &**otherwise {
            Expr::Load {
                col: c,
                index: Index::Elem,
            } if c == col => Some(pos),
            Expr::Temp(x) => before
                .iter()
                .rposition(|st| matches!(st, Stmt::Let { temp, .. } if temp == x))
                .filter(|&k| {
                    matches!(
                        body[k].value(),
                        Expr::Load { col: c, index: Index::Elem } if c == col
                    )
                }),
            _ => None,
        };
        let Some(read_at) = read_at else { continue };
        let stored_to_col = |st: &Stmt| matches!(st, Stmt::Store { col: c, .. } if c == col);
        if body[read_at..pos].iter().any(stored_to_col) {
            continue;
        }
        // Nothing after it touches the column.
        let later_use = body[pos + 1..]
            .iter()
            .any(|st| stored_to_col(st) || st.value().reads_column(*col));
        out[pos] = !later_use;
    }
    out
}

/// Whether `e` is finite whenever the state the kernel reads is: the runtime checks that every
/// column a kernel writes is finite after each step in which some store may not have been, so
/// loads of such columns are finite (a value stored non-finite earlier in the same call was
/// already counted). Comparisons and logic give 0 or 1; random numbers and the runtime's
/// scalars (`t`, `dt`, `N`, ...) are finite; a select is finite if both branches are, a
/// product of a finite value and a constant of magnitude at most 1 as well. Any other
/// arithmetic or call may overflow or divide by zero, a gather is NaN outside its column, and
/// temporaries of the prologue are arithmetic, so they are not.
pub(super) fn finite_by_construction(e: &Expr, kernel: &Kernel, temp_finite: &[bool]) -> bool {
    match e {
        Expr::Const(c) => c.is_finite(),
        Expr::Scalar(_) | Expr::ElemIndex(_) | Expr::Rand { .. } | Expr::Randn { .. } => true,
        Expr::Temp(t) => temp_finite.get(*t as usize).copied().unwrap_or(false),
        Expr::Load { col, .. } => kernel.columns.get(*col as usize).is_some_and(|c| c.written),
        Expr::Unary { op: UnOp::Not, .. } => true,
        Expr::Unary { op: UnOp::Neg, arg } => finite_by_construction(arg, kernel, temp_finite),
        // A finite value times a constant of magnitude at most 1 (a decay factor such as
        // CUBA's `ge*0.98`): the exact product is no larger than the value, which is a
        // float, so the rounded product is finite too.
        Expr::Binary {
            op: BinOp::Mul,
            lhs,
            rhs,
        } if matches!((&**lhs, &**rhs), (Expr::Const(c), x) | (x, Expr::Const(c))
            if c.abs() <= 1.0 && finite_by_construction(x, kernel, temp_finite)) =>
        {
            true
        }
        Expr::Binary { op, .. } => matches!(
            op,
            BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::Eq
                | BinOp::Ne
                | BinOp::And
                | BinOp::Or
        ),
        Expr::Select {
            then, otherwise, ..
        } => {
            finite_by_construction(then, kernel, temp_finite)
                && finite_by_construction(otherwise, kernel, temp_finite)
        }
        // NaN for a position outside the row, whatever the state.
        Expr::Call { .. } | Expr::Gather { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::ir::{ColumnDecl, Domain, Index};

    #[test]
    fn a_decay_of_a_finite_value_is_finite_and_growth_is_not() {
        let kernel = Kernel {
            name: "k".into(),
            columns: vec![
                ColumnDecl {
                    name: "ge".into(),
                    written: true,
                },
                ColumnDecl {
                    name: "w".into(),
                    written: false,
                },
            ],
            scalars: Vec::new(),
            domain: Domain::Range,
            prologue: Vec::new(),
            body: Vec::new(),
            n_temps: 0,
            rng_object: 0,
        };
        let load = |col| Expr::Load {
            col,
            index: Index::Elem,
        };
        let mul = |a: Expr, b: Expr| Expr::Binary {
            op: BinOp::Mul,
            lhs: Box::new(a),
            rhs: Box::new(b),
        };
        let finite = |e: &Expr| finite_by_construction(e, &kernel, &[]);
        // |c| <= 1 on either side of a written (hence finite) column.
        assert!(finite(&mul(Expr::Const(0.98), load(0))));
        assert!(finite(&mul(load(0), Expr::Const(-1.0))));
        // A factor above 1 may overflow, NaN is no bound, and an unchecked column may hold
        // anything.
        assert!(!finite(&mul(Expr::Const(1.5), load(0))));
        assert!(!finite(&mul(Expr::Const(f64::NAN), load(0))));
        assert!(!finite(&mul(Expr::Const(0.5), load(1))));
        assert!(!finite(&mul(load(0), load(0))));
    }
}
