//! A stable, readable text form of kernel IR, for snapshot tests and `snnc --emit ir`.
//!
//! The format is line-oriented and deterministic: a header with the kernel's name, domain and
//! random-stream object, the column and scalar tables, then the prologue and body, one statement
//! per line. Binary operations are fully parenthesised so the text never depends on precedence
//! rules, and constants use Rust's shortest round-trip `f64` formatting, so the text pins the
//! IR exactly. This module only renders; it must not validate or rewrite (a kernel with
//! out-of-range ids still prints, which is what a bug report needs).
//!
//! ```text
//! kernel neurongroup.state_update (range, rng 0x0000000000000007, 1 temps)
//!   columns: c0 neurongroup.v (rw), c1 neurongroup.not_refractory (r)
//!   scalars: s0 t, s1 dt
//!   prologue:
//!     %0 = exp(((-s1) / 0.01))
//!   body:
//!     c0[e] = (c0[e] * %0)
//!     spike if (c0[e] > 0.8)
//! ```

use crate::lower::ir::{BinOp, Domain, Expr, Index, Kernel, Stmt, UnOp};
use std::fmt::Write;

/// Renders `kernel` in the text form described in the module docs. Every line ends with `\n`.
pub fn print_kernel(kernel: &Kernel) -> String {
    let mut out = String::new();
    let domain = match kernel.domain {
        Domain::Range => "range",
        Domain::List => "list",
    };
    // Writing into a String cannot fail, so the fmt::Results below are discarded.
    let _ = writeln!(
        out,
        "kernel {} ({domain}, rng {:#018x}, {} temps)",
        kernel.name, kernel.rng_object, kernel.n_temps
    );
    let columns: Vec<String> = kernel
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let mode = if col.written { "rw" } else { "r" };
            format!("c{c} {} ({mode})", col.name)
        })
        .collect();
    let _ = writeln!(out, "  columns: {}", list_or_none(&columns));
    let scalars: Vec<String> = kernel
        .scalars
        .iter()
        .enumerate()
        .map(|(s, name)| format!("s{s} {name}"))
        .collect();
    let _ = writeln!(out, "  scalars: {}", list_or_none(&scalars));
    for (title, stmts) in [("prologue", &kernel.prologue), ("body", &kernel.body)] {
        if stmts.is_empty() {
            let _ = writeln!(out, "  {title}: (none)");
            continue;
        }
        let _ = writeln!(out, "  {title}:");
        for stmt in stmts {
            let _ = writeln!(out, "    {}", print_stmt(stmt));
        }
    }
    out
}

/// Renders one statement (without indentation or newline).
pub fn print_stmt(stmt: &Stmt) -> String {
    match stmt {
        Stmt::Let { temp, value } => format!("%{temp} = {}", print_expr(value)),
        Stmt::Store { col, index, value } => {
            format!("c{col}[{}] = {}", index_text(*index), print_expr(value))
        }
        Stmt::EmitSpike { cond } => format!("spike if {}", print_expr(cond)),
    }
}

/// Renders one expression.
pub fn print_expr(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr);
    out
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}

/// The subscript text of an index mode: what `e` maps to.
fn index_text(index: Index) -> &'static str {
    match index {
        Index::Elem => "e",
        Index::Pre => "pre[e]",
        Index::Post => "post[e]",
        Index::Shared => "0",
    }
}

fn binop_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::And => "and",
        BinOp::Or => "or",
    }
}

fn write_expr(out: &mut String, expr: &Expr) {
    match expr {
        // `{:?}` is the shortest text that parses back to the same bits (`1.0`, `1e-5`, `NaN`,
        // `inf`), which keeps snapshots exact.
        Expr::Const(x) => {
            let _ = write!(out, "{x:?}");
        }
        Expr::Scalar(s) => {
            let _ = write!(out, "s{s}");
        }
        Expr::Temp(t) => {
            let _ = write!(out, "%{t}");
        }
        Expr::Load { col, index } => {
            let _ = write!(out, "c{col}[{}]", index_text(*index));
        }
        Expr::Gather { col, index } => {
            let _ = write!(out, "c{col}[at ");
            write_expr(out, index);
            out.push(']');
        }
        Expr::ElemIndex(index) => {
            let _ = write!(out, "index({})", index_text(*index));
        }
        Expr::Unary { op, arg } => {
            out.push_str(match op {
                UnOp::Neg => "(-",
                UnOp::Not => "(not ",
            });
            write_expr(out, arg);
            out.push(')');
        }
        Expr::Binary { op, lhs, rhs } => {
            out.push('(');
            write_expr(out, lhs);
            let _ = write!(out, " {} ", binop_text(*op));
            write_expr(out, rhs);
            out.push(')');
        }
        Expr::Select {
            cond,
            then,
            otherwise,
        } => {
            out.push_str("select(");
            write_expr(out, cond);
            out.push_str(", ");
            write_expr(out, then);
            out.push_str(", ");
            write_expr(out, otherwise);
            out.push(')');
        }
        Expr::Call { func, args } => {
            out.push_str(func.name());
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, a);
            }
            out.push(')');
        }
        Expr::Rand { site } => {
            let _ = write!(out, "rand#{site}");
        }
        Expr::Randn { site } => {
            let _ = write!(out, "randn#{site}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::ir::{ColumnDecl, Func};

    #[test]
    fn prints_the_documented_shape() {
        let k = Kernel {
            name: "neurongroup.state_update".into(),
            columns: vec![
                ColumnDecl {
                    name: "neurongroup.v".into(),
                    written: true,
                },
                ColumnDecl {
                    name: "neurongroup.not_refractory".into(),
                    written: false,
                },
            ],
            scalars: vec!["t".into(), "dt".into()],
            domain: Domain::Range,
            prologue: vec![Stmt::Let {
                temp: 0,
                value: Expr::Call {
                    func: Func::Exp,
                    args: vec![Expr::Binary {
                        op: BinOp::Div,
                        lhs: Box::new(Expr::Unary {
                            op: UnOp::Neg,
                            arg: Box::new(Expr::Scalar(1)),
                        }),
                        rhs: Box::new(Expr::Const(0.01)),
                    }],
                },
            }],
            body: vec![
                Stmt::Store {
                    col: 0,
                    index: Index::Elem,
                    value: Expr::Binary {
                        op: BinOp::Mul,
                        lhs: Box::new(Expr::Load {
                            col: 0,
                            index: Index::Elem,
                        }),
                        rhs: Box::new(Expr::Temp(0)),
                    },
                },
                Stmt::EmitSpike {
                    cond: Expr::Binary {
                        op: BinOp::Gt,
                        lhs: Box::new(Expr::Load {
                            col: 0,
                            index: Index::Elem,
                        }),
                        rhs: Box::new(Expr::Const(0.8)),
                    },
                },
                Stmt::Store {
                    col: 0,
                    index: Index::Post,
                    value: Expr::Select {
                        cond: Box::new(Expr::Rand { site: 0 }),
                        then: Box::new(Expr::Const(f64::NEG_INFINITY)),
                        otherwise: Box::new(Expr::ElemIndex(Index::Pre)),
                    },
                },
            ],
            n_temps: 1,
            rng_object: 7,
        };
        let want = "\
kernel neurongroup.state_update (range, rng 0x0000000000000007, 1 temps)
  columns: c0 neurongroup.v (rw), c1 neurongroup.not_refractory (r)
  scalars: s0 t, s1 dt
  prologue:
    %0 = exp(((-s1) / 0.01))
  body:
    c0[e] = (c0[e] * %0)
    spike if (c0[e] > 0.8)
    c0[post[e]] = select(rand#0, -inf, index(pre[e]))
";
        assert_eq!(print_kernel(&k), want);
    }

    #[test]
    fn prints_empty_sections() {
        let k = Kernel {
            name: "empty".into(),
            columns: vec![],
            scalars: vec![],
            domain: Domain::List,
            prologue: vec![],
            body: vec![],
            n_temps: 0,
            rng_object: 0,
        };
        assert_eq!(
            print_kernel(&k),
            "kernel empty (list, rng 0x0000000000000000, 0 temps)\n  columns: (none)\n  \
             scalars: (none)\n  prologue: (none)\n  body: (none)\n"
        );
    }
}
