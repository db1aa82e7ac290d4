//! Values of the `.eq` script language: numbers and quantities, arrays, strings, and handles
//! to simulation objects. Arithmetic follows Brian2's Python-level unit rules (including
//! "a dimensionless zero is compatible with any unit").

use crate::syntax::ast::{BinOp, StrLit};
use crate::units::{Dimension, Rational};

/// A script value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number or quantity (`int` remembers a Python integer).
    Num {
        /// Value in SI base units.
        v: f64,
        /// Dimension.
        dim: Dimension,
        /// True for Python integers.
        int: bool,
    },
    /// `True`/`False`.
    Bool(bool),
    /// A string (with its origin in the file).
    Str(StrLit),
    /// An `Equations(...)` object: equations one per line (see `script::equations`).
    Equations(StrLit),
    /// A dictionary with string keys (`{'pre': 'v += w', 'pre2': ...}`), in insertion order.
    Dict(Vec<(String, Value)>),
    /// A numeric array (list of numbers, `array(...)`, `linspace(...)`, `[1, 2]*ms`).
    Array {
        /// Values in SI units.
        v: Vec<f64>,
        /// Common dimension.
        dim: Dimension,
        /// True when every element is a Python integer.
        int: bool,
    },
    /// A two-dimensional numeric array (`[[1, 2], [3, 4]]*mV`, `array([[...], [...]])`,
    /// `zeros((T, N))`), stored row after row.
    Matrix {
        /// Values in SI units, row after row.
        v: Vec<f64>,
        /// The number of columns (at least 1).
        cols: usize,
        /// Common dimension.
        dim: Dimension,
        /// True when every element is a Python integer.
        int: bool,
    },
    /// A list of non-numeric values (`['w', 'apre']`).
    List(Vec<Value>),
    /// `None`.
    None,
    /// A `NeuronGroup` (index in the network).
    Group(usize),
    /// `G[a:b]`: a contiguous subgroup.
    Subgroup {
        /// The group.
        group: usize,
        /// First neuron.
        start: usize,
        /// One past the last neuron.
        stop: usize,
    },
    /// A monitor (index in the network).
    Monitor(usize),
    /// A `Synapses` object (index in the network).
    Synapses(usize),
    /// A `TimedArray` (index in the network's tables).
    TimedArray(usize),
    /// `linked_var(G, 'v')`: variable `var` of group `group`, to be the target of a linked
    /// variable.
    Linked {
        /// The group that owns the variable.
        group: usize,
        /// The variable's name.
        var: String,
        /// `index=`: which source element each target element reads.
        index: Option<crate::runtime::group::LinkIndex>,
    },
    /// A method bound to an object (`S.connect`).
    Method(Box<Value>, &'static str),
    /// `defaultclock`.
    DefaultClock,
    /// A built-in function or class (`NeuronGroup`, `run`, `exp`, ...).
    Builtin(&'static str),
}

impl Value {
    /// Whether the value is (or holds) an object of the network: a group, subgroup, monitor,
    /// synapses, a linked variable or a method of one (not a TimedArray, which belongs to no
    /// scope).
    pub fn is_object(&self) -> bool {
        match self {
            Value::Group(_)
            | Value::Subgroup { .. }
            | Value::Monitor(_)
            | Value::Synapses(_)
            | Value::Linked { .. } => true,
            Value::Method(obj, _) => obj.is_object(),
            Value::List(items) => items.iter().any(Value::is_object),
            Value::Dict(items) => items.iter().any(|(_, v)| v.is_object()),
            _ => false,
        }
    }

    /// A dimensionless float.
    pub fn float(v: f64) -> Value {
        Value::Num {
            v,
            dim: Dimension::DIMENSIONLESS,
            int: false,
        }
    }

    /// A Python int.
    pub fn int(v: i64) -> Value {
        Value::Num {
            v: v as f64,
            dim: Dimension::DIMENSIONLESS,
            int: true,
        }
    }

    /// What the value is, for messages (`a quantity`, `a string`, `a NeuronGroup`).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Num { int: true, dim, .. } if dim.is_dimensionless() => "an integer",
            Value::Num { dim, .. } if dim.is_dimensionless() => "a number",
            Value::Num { .. } => "a quantity",
            Value::Bool(_) => "a boolean",
            Value::Str(_) => "a string",
            Value::Equations(_) => "an Equations object",
            Value::Dict(_) => "a dictionary",
            Value::Array { .. } => "an array",
            Value::Matrix { .. } => "a two-dimensional array",
            Value::List(_) => "a list",
            Value::None => "None",
            Value::Group(_) => "a NeuronGroup",
            Value::Subgroup { .. } => "a subgroup",
            Value::Monitor(_) => "a monitor",
            Value::Synapses(_) => "a Synapses object",
            Value::TimedArray(_) => "a TimedArray",
            Value::Linked { .. } => "a linked variable",
            Value::Method(..) => "a method",
            Value::DefaultClock => "the default clock",
            Value::Builtin(_) => "a function",
        }
    }
}

/// Why an arithmetic operation on script values failed.
pub type OpError = String;

fn num_parts(v: &Value) -> Option<(Vec<f64>, Dimension, bool, bool)> {
    match v {
        Value::Num { v, dim, int } => Some((vec![*v], *dim, *int, true)),
        Value::Bool(b) => Some((
            vec![f64::from(u8::from(*b))],
            Dimension::DIMENSIONLESS,
            true,
            true,
        )),
        Value::Array { v, dim, int } => Some((v.clone(), *dim, *int, false)),
        _ => None,
    }
}

fn is_zero(v: &[f64], dim: &Dimension) -> bool {
    dim.is_dimensionless() && v.iter().all(|x| *x == 0.0)
}

/// Model-string code for a finite number in SI units with dimension `dim`: `3`, `0.5`,
/// `0.01 * second`, `2e-9 * metre ** 2 * kilogram * second ** -3 * amp ** -1` (the value read
/// back is the same `f64`).
pub fn quantity_code(v: f64, dim: &Dimension, int: bool) -> String {
    let number = if int && v.abs() < 9e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    };
    if dim.is_dimensionless() {
        number
    } else {
        format!("{number} * {}", dim.base_unit_str())
    }
}

/// Applies a binary operator to two script values.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, OpError> {
    if matches!(a, Value::Matrix { .. }) || matches!(b, Value::Matrix { .. }) {
        return matrix_binary(op, a, b);
    }
    match (op, a, b) {
        // Python's string concatenation; each part keeps its origin for positions.
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            return Ok(Value::Str(super::equations::concat(x, y, "")));
        }
        // Equations joined with equations or a string: one equation list.
        (BinOp::Add, Value::Equations(x), Value::Equations(y) | Value::Str(y))
        | (BinOp::Add, Value::Str(x), Value::Equations(y)) => {
            return Ok(Value::Equations(super::equations::concat(x, y, "\n")));
        }
        _ => {}
    }
    if let (BinOp::Mul, Value::List(items), Value::Num { .. }) = (op, a, b) {
        let _ = items;
        return Err("cannot multiply a list of non-numbers".into());
    }
    let (Some((xa, da, ia, sa)), Some((xb, db, ib, sb))) = (num_parts(a), num_parts(b)) else {
        return Err(format!(
            "unsupported operand types for {}: {} and {}",
            op.symbol(),
            a.kind(),
            b.kind()
        ));
    };
    let n = if sa { xb.len() } else { xa.len() };
    if !sa && !sb && xa.len() != xb.len() {
        return Err(format!(
            "operands could not be broadcast together with shapes ({},) ({},)",
            xa.len(),
            xb.len()
        ));
    }
    let get = |x: &Vec<f64>, k: usize| if x.len() == 1 { x[0] } else { x[k] };
    let same_dims = || -> Result<Dimension, OpError> {
        if da == db {
            Ok(da)
        } else if is_zero(&xa, &da) {
            Ok(db)
        } else if is_zero(&xb, &db) {
            Ok(da)
        } else {
            Err(format!(
                "cannot calculate {} {} {}, the units do not match (units are {} and {})",
                a_str(&xa, &da),
                op_word(op),
                a_str(&xb, &db),
                da.brian_display(),
                db.brian_display()
            ))
        }
    };
    let both_int = ia && ib;
    let (dim, int, f): (Dimension, bool, fn(f64, f64) -> f64) = match op {
        BinOp::Add => (same_dims()?, both_int, |x, y| x + y),
        BinOp::Sub => (same_dims()?, both_int, |x, y| x - y),
        BinOp::Mul => (da.mul(db), both_int, |x, y| x * y),
        BinOp::Div => (da.div(db), false, |x, y| x / y),
        BinOp::FloorDiv => (da.div(db), both_int, |x, y| {
            crate::backend::funcs::floordiv(x, y)
        }),
        BinOp::Mod => (same_dims()?, both_int, |x, y| {
            crate::backend::funcs::pymod(x, y)
        }),
        BinOp::Pow => {
            if !db.is_dimensionless() {
                return Err(format!(
                    "the exponent for a power operation has to be dimensionless but was {} (unit is {})",
                    a_str(&xb, &db),
                    db.brian_display()
                ));
            }
            if !da.is_dimensionless() && !sb {
                return Err("an array exponent needs a dimensionless base".into());
            }
            let e = xb[0];
            let dim = if da.is_dimensionless() {
                da
            } else {
                let r = Rational::from_f64(e)
                    .ok_or_else(|| format!("cannot raise a unit to the power {e}"))?;
                da.pow(r)
            };
            (dim, both_int && e >= 0.0, |x, y| {
                crate::backend::funcs::pow(x, y)
            })
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => {
            same_dims().map_err(|_| {
                format!(
                    "cannot perform comparison {} {} {}, units do not match (units are {} and {})",
                    a_str(&xa, &da),
                    op.symbol(),
                    a_str(&xb, &db),
                    da.brian_display(),
                    db.brian_display()
                )
            })?;
            let f: fn(f64, f64) -> bool = match op {
                BinOp::Lt => |x, y| x < y,
                BinOp::Le => |x, y| x <= y,
                BinOp::Gt => |x, y| x > y,
                BinOp::Ge => |x, y| x >= y,
                BinOp::Eq => |x, y| x == y,
                _ => |x, y| x != y,
            };
            if sa && sb {
                return Ok(Value::Bool(f(xa[0], xb[0])));
            }
            return Ok(Value::Array {
                v: (0..n)
                    .map(|k| f64::from(u8::from(f(get(&xa, k), get(&xb, k)))))
                    .collect(),
                dim: Dimension::DIMENSIONLESS,
                int: true,
            });
        }
        BinOp::And | BinOp::Or => {
            return Err("'and'/'or' are only supported on booleans".into());
        }
    };
    if both_int && matches!(op, BinOp::FloorDiv | BinOp::Mod) && xb.contains(&0.0) {
        return Err("integer division or modulo by zero".into());
    }
    // Python raises ZeroDivisionError for plain numbers (`1/0`, `1.0/0.0`); only quantities
    // and arrays (numpy) give infinities.
    if sa
        && sb
        && xb[0] == 0.0
        && da.is_dimensionless()
        && db.is_dimensionless()
        && matches!(op, BinOp::Div | BinOp::FloorDiv | BinOp::Mod)
    {
        return Err(format!(
            "division by zero in '{}' (Python raises ZeroDivisionError for plain numbers)",
            op.symbol()
        ));
    }
    let vals: Vec<f64> = (0..n).map(|k| f(get(&xa, k), get(&xb, k))).collect();
    if sa && sb {
        Ok(Value::Num {
            v: vals[0],
            dim,
            int,
        })
    } else {
        Ok(Value::Array { v: vals, dim, int })
    }
}

/// A binary operation with a two-dimensional operand: element by element with a number or with
/// an array of the same shape (numpy's broadcasting of rows is not supported).
fn matrix_binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, OpError> {
    let shape = |v: &Value| match v {
        Value::Matrix { v, cols, .. } => Some((v.len() / cols, *cols)),
        _ => None,
    };
    let flat = |v: &Value| match v {
        Value::Matrix { v, dim, int, .. } => Value::Array {
            v: v.clone(),
            dim: *dim,
            int: *int,
        },
        other => other.clone(),
    };
    let (sa, sb) = (shape(a), shape(b));
    let cols = match (sa, sb, a, b) {
        (Some(x), Some(y), ..) if x != y => {
            return Err(format!(
                "operands could not be broadcast together with shapes {x:?} {y:?}"
            ))
        }
        (Some((_, c)), _, _, Value::Matrix { .. } | Value::Num { .. } | Value::Bool(_))
        | (_, Some((_, c)), Value::Num { .. } | Value::Bool(_), _) => c,
        _ => {
            return Err(format!(
                "unsupported operand types for {}: {} and {} (only numbers and arrays of the same shape combine with a two-dimensional array)",
                op.symbol(),
                a.kind(),
                b.kind()
            ))
        }
    };
    match binary(op, &flat(a), &flat(b))? {
        Value::Array { v, dim, int } => Ok(Value::Matrix { v, cols, dim, int }),
        other => Ok(other),
    }
}

/// A two-dimensional array from its rows (each an `Array` of the same length, at least one
/// value), or an error message.
pub fn matrix_from_rows(rows: &[Value]) -> Result<Value, OpError> {
    let mut out = Vec::new();
    let mut shape = None;
    let mut common = None;
    let mut all_int = true;
    for (k, r) in rows.iter().enumerate() {
        let Value::Array { v, dim, int } = r else {
            return Err(format!(
                "the rows of a two-dimensional array must be lists of numbers, found {}",
                r.kind()
            ));
        };
        let first = *shape.get_or_insert(v.len());
        if first != v.len() {
            return Err(format!(
                "the rows of a two-dimensional array must all have the same length (row 0 has {first} values, row {k} has {})",
                v.len()
            ));
        }
        if *common.get_or_insert(*dim) != *dim {
            return Err("all elements of a list must have the same units".into());
        }
        all_int &= *int;
        out.extend_from_slice(v);
    }
    match (shape, common) {
        (Some(cols), Some(dim)) if cols > 0 => Ok(Value::Matrix {
            v: out,
            cols,
            dim,
            int: all_int,
        }),
        _ => Err("a two-dimensional array needs at least one row and one column".into()),
    }
}

/// The transpose of a two-dimensional array (`values.T`).
pub fn transpose(v: &[f64], cols: usize) -> Vec<f64> {
    let rows = v.len() / cols.max(1);
    (0..cols)
        .flat_map(|c| (0..rows).map(move |r| (r, c)))
        .map(|(r, c)| v[r * cols + c])
        .collect()
}

fn op_word(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mod => "mod",
        _ => op.symbol(),
    }
}

fn a_str(x: &[f64], d: &Dimension) -> String {
    if x.len() == 1 {
        crate::units::Quantity::new(x[0], *d).display()
    } else {
        format!("array of {} values in {}", x.len(), d.brian_display())
    }
}
