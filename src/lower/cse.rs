//! Common-subexpression elimination over a kernel's body: every subexpression that the body
//! computes more than once with the same inputs is computed once, into a new temporary, just
//! before the first statement that needs it.
//!
//! Integrators repeat whole terms (exponential Euler writes each gating variable's rate
//! expression, with its `exp`/`exprel` calls, four times), and the JIT cannot merge calls to
//! host functions by itself. "The same inputs" is decided by value numbering: a load is
//! identified by its column, its index mode and how many stores to that column came before it,
//! a temporary by how many times it had been assigned, a constant by its bits (so `0.0` and
//! `-0.0` stay apart). Random numbers are never merged. Behaviour-preserving: an IR expression
//! has no side effects and is evaluated exactly as it would have been, once instead of
//! several times, so both backends keep producing the same bits as before.

use super::ir::{BinOp, ColId, Expr, Func, Index, Kernel, Stmt, TempId, UnOp};
use std::collections::HashMap;

/// A value number's defining operation.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Const(u64),
    Scalar(u32),
    /// A temporary and the number of assignments to it before this read.
    Temp(TempId, u32),
    /// A column, index mode and the number of stores to that column before this load.
    Load(ColId, Index, u32),
    /// A gathered column, the position's value number and the stores to the column before.
    Gather(ColId, usize, u32),
    ElemIndex(Index),
    Unary(UnOp, usize),
    Binary(BinOp, usize, usize),
    Select(usize, usize, usize),
    Call(Func, Vec<usize>),
    /// Each random-number occurrence is its own value.
    Random(usize),
}

/// Value numbers for one walk over the body, in statement order.
#[derive(Default)]
struct Numbering {
    ids: HashMap<Key, usize>,
    /// Occurrences of each value number in the body (filled by the first walk).
    uses: Vec<u32>,
    stores: HashMap<ColId, u32>,
    assigns: HashMap<TempId, u32>,
    randoms: usize,
}

impl Numbering {
    fn id(&mut self, key: Key) -> usize {
        let next = self.ids.len();
        let id = *self.ids.entry(key).or_insert(next);
        if id == self.uses.len() {
            self.uses.push(0);
        }
        id
    }

    /// Forgets the position in the body (store and assignment counts), keeping the numbers.
    fn restart(&mut self) {
        self.stores.clear();
        self.assigns.clear();
        self.randoms = 0;
    }

    /// Accounts for a statement's effect after its value has been numbered.
    fn effect(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Let { temp, .. } => *self.assigns.entry(*temp).or_default() += 1,
            Stmt::Store { col, .. } => *self.stores.entry(*col).or_default() += 1,
            Stmt::EmitSpike { .. } => {}
        }
    }

    /// The key of a leaf; `None` for composite expressions.
    fn leaf(&mut self, e: &Expr) -> Option<Key> {
        Some(match e {
            Expr::Const(c) => Key::Const(c.to_bits()),
            Expr::Scalar(s) => Key::Scalar(*s),
            Expr::Temp(t) => Key::Temp(*t, self.assigns.get(t).copied().unwrap_or(0)),
            Expr::Load { col, index } => {
                Key::Load(*col, *index, self.stores.get(col).copied().unwrap_or(0))
            }
            Expr::ElemIndex(index) => Key::ElemIndex(*index),
            Expr::Rand { .. } | Expr::Randn { .. } => {
                self.randoms += 1;
                Key::Random(self.randoms)
            }
            _ => return None,
        })
    }

    /// First walk: numbers `e` and counts every occurrence of every subexpression.
    fn count(&mut self, e: &Expr) -> usize {
        let key = match self.leaf(e) {
            Some(key) => key,
            None => match e {
                Expr::Unary { op, arg } => Key::Unary(*op, self.count(arg)),
                Expr::Gather { col, index } => {
                    let at = self.count(index);
                    Key::Gather(*col, at, self.stores.get(col).copied().unwrap_or(0))
                }
                Expr::Binary { op, lhs, rhs } => {
                    let (a, b) = (self.count(lhs), self.count(rhs));
                    Key::Binary(*op, a, b)
                }
                Expr::Select {
                    cond,
                    then,
                    otherwise,
                } => {
                    let (c, t, o) = (self.count(cond), self.count(then), self.count(otherwise));
                    Key::Select(c, t, o)
                }
                Expr::Call { func, args } => {
                    Key::Call(*func, args.iter().map(|a| self.count(a)).collect())
                }
                // Leaves are handled above.
                _ => Key::Random(usize::MAX),
            },
        };
        let id = self.id(key);
        self.uses[id] += 1;
        id
    }
}

/// The second walk's state: which value numbers already live in a temporary.
struct Rewriter<'a> {
    numbering: Numbering,
    bound: HashMap<usize, TempId>,
    n_temps: &'a mut u32,
    /// Statements to insert before the current one.
    lets: Vec<Stmt>,
}

impl Rewriter<'_> {
    /// Rewrites `e` bottom-up; returns the new expression and its value number.
    fn rewrite(&mut self, e: &Expr) -> (Expr, usize) {
        let (key, node) = match self.numbering.leaf(e) {
            Some(key) => (key, e.clone()),
            None => match e {
                Expr::Unary { op, arg } => {
                    let (arg, a) = self.rewrite(arg);
                    let node = Expr::Unary {
                        op: *op,
                        arg: Box::new(arg),
                    };
                    (Key::Unary(*op, a), node)
                }
                Expr::Gather { col, index } => {
                    let (index, at) = self.rewrite(index);
                    let stores = self.numbering.stores.get(col).copied().unwrap_or(0);
                    let node = Expr::Gather {
                        col: *col,
                        index: Box::new(index),
                    };
                    (Key::Gather(*col, at, stores), node)
                }
                Expr::Binary { op, lhs, rhs } => {
                    let (lhs, a) = self.rewrite(lhs);
                    let (rhs, b) = self.rewrite(rhs);
                    let node = Expr::Binary {
                        op: *op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    };
                    (Key::Binary(*op, a, b), node)
                }
                Expr::Select {
                    cond,
                    then,
                    otherwise,
                } => {
                    let (cond, c) = self.rewrite(cond);
                    let (then, t) = self.rewrite(then);
                    let (otherwise, o) = self.rewrite(otherwise);
                    let node = Expr::Select {
                        cond: Box::new(cond),
                        then: Box::new(then),
                        otherwise: Box::new(otherwise),
                    };
                    (Key::Select(c, t, o), node)
                }
                Expr::Call { func, args } => {
                    let (args, ids): (Vec<Expr>, Vec<usize>) =
                        args.iter().map(|a| self.rewrite(a)).unzip();
                    let node = Expr::Call { func: *func, args };
                    (Key::Call(*func, ids), node)
                }
                _ => (Key::Random(usize::MAX), e.clone()),
            },
        };
        let id = self.numbering.id(key);
        if let Some(&t) = self.bound.get(&id) {
            return (Expr::Temp(t), id);
        }
        let repeated = self.numbering.uses.get(id).is_some_and(|&n| n >= 2);
        if repeated && worth_binding(&node) {
            let t = *self.n_temps;
            *self.n_temps += 1;
            self.lets.push(Stmt::Let {
                temp: t,
                value: node,
            });
            self.bound.insert(id, t);
            return (Expr::Temp(t), id);
        }
        (node, id)
    }
}

/// Whether a repeated expression should live in a temporary: anything that computes or loads.
fn worth_binding(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Const(_)
            | Expr::Scalar(_)
            | Expr::Temp(_)
            | Expr::ElemIndex(_)
            | Expr::Rand { .. }
            | Expr::Randn { .. }
    )
}

/// Computes each repeated subexpression of `kernel.body` once, forwards stored values to
/// later loads of the same cells, and drops stores that a later store overwrites unread.
pub fn eliminate(kernel: &mut Kernel) {
    let mut numbering = Numbering::default();
    for stmt in &kernel.body {
        numbering.count(stmt.value());
        numbering.effect(stmt);
    }
    numbering.restart();
    let first_fresh = kernel.n_temps;
    let body = std::mem::take(&mut kernel.body);
    let mut rw = Rewriter {
        numbering,
        bound: HashMap::new(),
        n_temps: &mut kernel.n_temps,
        lets: Vec::new(),
    };
    let mut out = Vec::with_capacity(body.len());
    for stmt in &body {
        let (mut new_value, _) = rw.rewrite(stmt.value());
        out.append(&mut rw.lets);
        if let Stmt::Store {
            col,
            index: Index::Elem,
            ..
        } = stmt
        {
            new_value = rw.forward(*col, new_value, first_fresh, &mut out);
        }
        rw.numbering.effect(stmt);
        // A temporary bound before an assignment to one of its inputs stays correct: its
        // value number includes the assignment and store counts, so later reads of the
        // changed inputs get new numbers and are never replaced by it.
        out.push(match stmt {
            Stmt::Let { temp, .. } => Stmt::Let {
                temp: *temp,
                value: new_value,
            },
            Stmt::Store { col, index, .. } => Stmt::Store {
                col: *col,
                index: *index,
                value: new_value,
            },
            Stmt::EmitSpike { .. } => Stmt::EmitSpike { cond: new_value },
        });
    }
    kernel.body = drop_overwritten_stores(out);
}

impl Rewriter<'_> {
    /// For a store of `value` to `col[e]` that a later statement loads back before the next
    /// store to `col`: puts the value in a temporary of this pass (assigned once, so it still
    /// holds the value at the load), binds the load's value number to it, and returns the
    /// temporary to store. The loaded cell holds exactly the stored bits, so the result is
    /// unchanged.
    fn forward(&mut self, col: ColId, value: Expr, first_fresh: u32, out: &mut Vec<Stmt>) -> Expr {
        let after = self.numbering.stores.get(&col).copied().unwrap_or(0) + 1;
        let Some(&id) = self.numbering.ids.get(&Key::Load(col, Index::Elem, after)) else {
            return value;
        };
        let t = match value {
            Expr::Temp(t) if t >= first_fresh => t,
            value => {
                let t = *self.n_temps;
                *self.n_temps += 1;
                out.push(Stmt::Let { temp: t, value });
                t
            }
        };
        self.bound.insert(id, t);
        Expr::Temp(t)
    }
}

/// Removes each `col[e] = ...` that is followed by another `col[e] = ...` with no load of
/// `col` (through any index) in between, the second store's value included: nothing can
/// observe the first. Kernels have no early exit after their first statement (index checks
/// run before it), so the last store always happens.
fn drop_overwritten_stores(body: Vec<Stmt>) -> Vec<Stmt> {
    let dead: Vec<bool> = (0..body.len())
        .map(|p| {
            let Stmt::Store {
                col,
                index: Index::Elem,
                ..
            } = &body[p]
            else {
                return false;
            };
            for later in &body[p + 1..] {
                if later.value().reads_column(*col) {
                    return false;
                }
                if let Stmt::Store { col: c, index, .. } = later {
                    if c == col {
                        return *index == Index::Elem;
                    }
                }
            }
            false
        })
        .collect();
    body.into_iter()
        .zip(dead)
        .filter_map(|(s, d)| (!d).then_some(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::ir::{ColumnDecl, Domain};
    use crate::lower::print::print_kernel;

    fn load(col: ColId) -> Expr {
        Expr::Load {
            col,
            index: Index::Elem,
        }
    }
    fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
        Expr::Binary {
            op,
            lhs: Box::new(a),
            rhs: Box::new(b),
        }
    }
    fn exp(a: Expr) -> Expr {
        Expr::Call {
            func: Func::Exp,
            args: vec![a],
        }
    }
    /// The printed body statements of a kernel's text form.
    fn body_lines(text: &str) -> Vec<&str> {
        text.lines()
            .skip_while(|l| !l.contains("body:"))
            .skip(1)
            .map(str::trim)
            .collect()
    }

    fn kernel(body: Vec<Stmt>, n_temps: u32) -> Kernel {
        Kernel {
            name: "k".into(),
            columns: vec![
                ColumnDecl {
                    name: "g.v".into(),
                    written: true,
                },
                ColumnDecl {
                    name: "g.w".into(),
                    written: true,
                },
            ],
            scalars: vec![],
            domain: Domain::Range,
            prologue: vec![],
            body,
            n_temps,
            rng_object: 0,
        }
    }

    #[test]
    fn repeated_calls_are_computed_once_until_an_input_is_stored() {
        // w = exp(v) + exp(v); v = exp(v) * 2; w = w + exp(v)  (the last exp sees the new v)
        let e = || exp(load(0));
        let mut k = kernel(
            vec![
                Stmt::Store {
                    col: 1,
                    index: Index::Elem,
                    value: bin(BinOp::Add, e(), e()),
                },
                Stmt::Store {
                    col: 0,
                    index: Index::Elem,
                    value: bin(BinOp::Mul, e(), Expr::Const(2.0)),
                },
                Stmt::Store {
                    col: 1,
                    index: Index::Elem,
                    value: bin(BinOp::Add, load(1), e()),
                },
            ],
            0,
        );
        eliminate(&mut k);
        let text = print_kernel(&k);
        let body = body_lines(&text);
        assert_eq!(
            body,
            [
                "%0 = c0[e]",
                "%1 = exp(%0)",
                // Both loads after the stores are forwarded from the stored values, so the
                // first store to c1 is overwritten unread and dropped.
                "%2 = (%1 + %1)",
                "%3 = (%1 * 2.0)",
                "c0[e] = %3",
                "c1[e] = (%2 + exp(%3))",
            ],
            "{text}"
        );
        assert_eq!(k.n_temps, 4);
    }

    #[test]
    fn signed_zeros_random_numbers_and_reassigned_temps_stay_apart() {
        let mul = |c: f64| bin(BinOp::Mul, load(0), Expr::Const(c));
        let mut k = kernel(
            vec![
                Stmt::Let {
                    temp: 0,
                    value: bin(BinOp::Add, mul(0.0), mul(-0.0)),
                },
                Stmt::Store {
                    col: 1,
                    index: Index::Elem,
                    value: bin(BinOp::Add, Expr::Randn { site: 0 }, Expr::Randn { site: 1 }),
                },
                Stmt::Let {
                    temp: 1,
                    value: exp(Expr::Temp(0)),
                },
                Stmt::Let {
                    temp: 0,
                    value: Expr::Const(1.0),
                },
                Stmt::Let {
                    temp: 1,
                    value: exp(Expr::Temp(0)),
                },
            ],
            2,
        );
        let before = k.clone();
        eliminate(&mut k);
        // c0[e] is loaded twice, so it is bound; nothing else repeats with the same inputs.
        let text = print_kernel(&k);
        assert!(text.contains("%2 = c0[e]"), "{text}");
        assert!(text.contains("((%2 * 0.0) + (%2 * -0.0))"), "{text}");
        assert_eq!(k.body.len(), before.body.len() + 1, "{text}");
        assert_eq!(k.body[3..], before.body[2..], "{text}");
    }

    #[test]
    fn stores_are_forwarded_and_dropped_only_through_the_same_cell() {
        let shared = Expr::Load {
            col: 0,
            index: Index::Shared,
        };
        let store = |col: ColId, index: Index, value: Expr| Stmt::Store { col, index, value };
        let mut k = kernel(
            vec![
                // v[e] = w[e] + 1; w[e] = v[0]; v[e] = v[e] * 2; w[e] = v[e]
                store(0, Index::Elem, bin(BinOp::Add, load(1), Expr::Const(1.0))),
                store(1, Index::Elem, shared),
                store(0, Index::Elem, bin(BinOp::Mul, load(0), Expr::Const(2.0))),
                store(1, Index::Elem, load(0)),
            ],
            0,
        );
        eliminate(&mut k);
        let text = print_kernel(&k);
        let body = body_lines(&text);
        assert_eq!(
            body,
            [
                // The first store to v is read through the shared index (v[0] may be the same
                // cell), so it stays; its value is forwarded to the Elem load.
                "%0 = (c1[e] + 1.0)",
                "c0[e] = %0",
                // w = v[0] is overwritten below without being read: dropped.
                "%1 = (%0 * 2.0)",
                "c0[e] = %1",
                "c1[e] = %1",
            ],
            "{text}"
        );
    }

    #[test]
    fn a_gather_whose_position_loads_a_column_keeps_the_store_before_it() {
        // v[e] = 1; w[e] = gather(c2, v[0]); v[e] = 2: the gather's position reads v through
        // the shared index (cell 0 may be this element's), so the first store must stay.
        let store = |col: ColId, value: Expr| Stmt::Store {
            col,
            index: Index::Elem,
            value,
        };
        let mut k = kernel(
            vec![
                store(0, Expr::Const(1.0)),
                store(
                    1,
                    Expr::Gather {
                        col: 2,
                        index: Box::new(Expr::Load {
                            col: 0,
                            index: Index::Shared,
                        }),
                    },
                ),
                store(0, Expr::Const(2.0)),
            ],
            0,
        );
        k.columns.push(ColumnDecl {
            name: "table.row".into(),
            written: false,
        });
        eliminate(&mut k);
        let stores_to_v = k
            .body
            .iter()
            .filter(|s| matches!(s, Stmt::Store { col: 0, .. }))
            .count();
        assert_eq!(stores_to_v, 2, "{}", print_kernel(&k));
    }
}
