//! Expression translation: one `translate_*` method per IR-operation family (constants, scalars
//! and temporaries; loads, stores and element indices; arithmetic; comparisons, booleans and
//! select; math calls; random numbers), each for one element or for an `f64x2` pair.
//!
//! The rule that keeps the JIT bit-identical to the interpreter: only operations that are
//! exactly IEEE-specified become Cranelift instructions (`fadd`, `fsub`, `fmul`, `fdiv`, `fneg`,
//! `fabs`, `sqrt`, `floor`, `ceil`, `trunc`, comparisons, selects); everything else (`exp`,
//! `pow`, Python `%` and `//`, `clip`, ...) calls the very function the interpreter calls, one
//! lane at a time in the vector loop. In particular `clip` is not `fmin`/`fmax`, whose NaN and
//! signed-zero rules differ from Rust's `min`/`max`. Booleans are `0.0`/`1.0` values as in the
//! IR; a condition is first turned into a Cranelift mask (`I8` for one element, an `I64X2` lane
//! mask for two) and then back into `0.0`/`1.0` with `select` or a bitwise `and` with `1.0`.

use super::intrinsics::Intrinsic;
use super::translate::{cell, pair, Elem, FunctionTranslator, Width};
use crate::backend::funcs;
use crate::lower::ir::{BinOp, Expr, Func, Index, UnOp};
use crate::runtime::rng;
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, BlockArg, InstBuilder, MemFlagsData, Value};
use cranelift_module::Module;

impl FunctionTranslator<'_> {
    /// Translates `expr` for element `at` (`None` in the prologue, where the validator has ruled
    /// out loads, element indices and random numbers).
    pub(super) fn translate_expr(&mut self, expr: &Expr, at: Option<&Elem>) -> Value {
        let w = at.map_or(Width::One, |el| el.width);
        match expr {
            Expr::Const(x) => self.translate_const(*x, w),
            Expr::Scalar(s) => self.translate_scalar(*s, w),
            Expr::Temp(t) => self.translate_temp(*t, w),
            Expr::Load { col, index } => match at {
                Some(el) => self.translate_load(*col, *index, el),
                None => self.nan(w),
            },
            Expr::Gather { col, index } => match at {
                Some(el) => {
                    let k = self.translate_expr(index, at);
                    self.translate_gather(*col, k, el.width)
                }
                None => self.nan(w),
            },
            Expr::ElemIndex(index) => match at {
                Some(el) => self.translate_elem_index(*index, el),
                None => self.nan(w),
            },
            Expr::Unary { op: UnOp::Neg, arg } => {
                // IEEE negation flips the sign bit, like Rust's `-x`.
                let x = self.translate_expr(arg, at);
                self.builder.ins().fneg(x)
            }
            Expr::Binary { op, lhs, rhs } if !is_boolean(expr) => {
                let a = self.translate_expr(lhs, at);
                let b = self.translate_expr(rhs, at);
                self.translate_arith(*op, a, b, w)
            }
            // Comparisons, `not`, `and`, `or`: a mask, then 0/1.
            Expr::Unary { .. } | Expr::Binary { .. } => {
                let m = self.translate_condition(expr, at);
                self.mask_to_f64(m, w)
            }
            Expr::Select {
                cond,
                then,
                otherwise,
            } => {
                let m = self.translate_condition(cond, at);
                let a = self.translate_expr(then, at);
                let b = self.translate_expr(otherwise, at);
                self.translate_select(m, a, b, w)
            }
            Expr::Call { func, args } => {
                let values: Vec<Value> = args.iter().map(|a| self.translate_expr(a, at)).collect();
                self.translate_call(*func, &values, w)
            }
            Expr::Rand { site } => match at {
                Some(el) => self.translate_rand(Intrinsic::Uniform, *site, el),
                None => self.nan(w),
            },
            Expr::Randn { site } => match at {
                Some(el) => self.translate_rand(Intrinsic::Normal, *site, el),
                None => self.nan(w),
            },
        }
    }

    // ---- constants, scalars, temporaries -------------------------------------------------

    /// A literal; `f64const` keeps the exact bits (NaN payloads included).
    pub(super) fn translate_const(&mut self, x: f64, w: Width) -> Value {
        let v = self.builder.ins().f64const(x);
        self.widen(v, w)
    }

    /// A scalar input, loaded once in the entry block.
    fn translate_scalar(&mut self, s: u32, w: Width) -> Value {
        let inv = self.inv();
        let v = match w {
            Width::One => inv.scalars.get(s as usize),
            Width::Two => inv.scalars_x2.get(s as usize),
        };
        match v {
            Some(&v) => v,
            // Unreachable for validated kernels (ids are in range).
            None => self.nan(w),
        }
    }

    /// The current SSA value of a temporary.
    fn translate_temp(&mut self, t: u32, w: Width) -> Value {
        match self.temps.get(t as usize).copied().flatten() {
            Some(v) => v,
            // Unreachable for validated kernels (temporaries are written before they are read).
            None => self.nan(w),
        }
    }

    /// NaN of the given width: the value of per-element expressions where validation has
    /// ruled them out, so that translation never panics.
    fn nan(&mut self, w: Width) -> Value {
        self.translate_const(f64::NAN, w)
    }

    /// Splats a scalar to the current width.
    fn widen(&mut self, v: Value, w: Width) -> Value {
        match w {
            Width::One => v,
            Width::Two => self.builder.ins().splat(types::F64X2, v),
        }
    }

    /// Builds an `f64x2` from two `f64` lanes.
    fn pack(&mut self, lane0: Value, lane1: Value) -> Value {
        let v = self.builder.ins().splat(types::F64X2, lane0);
        self.builder.ins().insertlane(v, lane1, 1)
    }

    // ---- loads, stores, element indices ---------------------------------------------------

    /// The address of the cell (or first of two cells) that `el` reaches in column `col`, as
    /// a pointer and a constant displacement. `None` only for combinations the analysis keeps
    /// out of the vector loop.
    fn address(&mut self, col: u32, index: Index, el: &Elem) -> Option<(Value, i32)> {
        let c = col as usize;
        let (base, position) = match index {
            // `elem_ptr + 8 * at`, which x64 folds into the access's addressing mode.
            Index::Elem => (*self.inv().elem_ptr.get(c)?, el.at),
            Index::Pre => (*self.inv().col_ptr.get(c)?, el.pre?),
            Index::Post => (*self.inv().col_ptr.get(c)?, el.post?),
            Index::Shared => return Some((*self.inv().col_ptr.get(c)?, 0)),
        };
        // Cells are 8 bytes; the position was checked against the column length already.
        let off = self.builder.ins().ishl_imm_u(position, 3);
        let addr = self.builder.ins().iadd(base, off);
        let disp = if index == Index::Elem { el.offset } else { 0 };
        Some((addr, disp))
    }

    /// `column[index(e)]`. In the vector loop an `Elem` column is one unaligned 16-byte load and
    /// a `Shared` cell is loaded once and splatted.
    pub(super) fn translate_load(&mut self, col: u32, index: Index, el: &Elem) -> Value {
        let Some((addr, disp)) = self.address(col, index, el) else {
            return self.nan(el.width);
        };
        match (el.width, index) {
            (Width::One, _) => self.builder.ins().load(types::F64, cell(), addr, disp),
            (Width::Two, Index::Elem) => self.builder.ins().load(types::F64X2, pair(), addr, disp),
            (Width::Two, _) => {
                // Only `Shared` reaches here (the analysis keeps `Pre`/`Post` scalar).
                let x = self.builder.ins().load(types::F64, cell(), addr, disp);
                self.widen(x, Width::Two)
            }
        }
    }

    /// `column[trunc(k)]`, or NaN where that position is outside the column (see
    /// [`Expr::Gather`]). Branch-free: an out-of-range (or NaN) position is replaced by 0
    /// before the load, which is in bounds because `check_fits` refuses an empty gathered
    /// column, and the loaded value is then replaced by NaN. Pairs are gathered lane by lane.
    fn translate_gather(&mut self, col: u32, k: Value, w: Width) -> Value {
        match w {
            Width::One => self.gather_one(col, k),
            Width::Two => {
                let k0 = self.builder.ins().extractlane(k, 0);
                let k1 = self.builder.ins().extractlane(k, 1);
                let (a, b) = (self.gather_one(col, k0), self.gather_one(col, k1));
                self.pack(a, b)
            }
        }
    }

    /// [`Self::translate_gather`] for one `F64` position.
    fn gather_one(&mut self, col: u32, k: Value) -> Value {
        let (Some(&base), Some(&len)) = (
            self.inv().col_ptr.get(col as usize),
            self.inv().col_len.get(col as usize),
        ) else {
            return self.nan(Width::One);
        };
        let k = self.translate_call(Func::Trunc, &[k], Width::One);
        let b = &mut self.builder;
        let zero = b.ins().f64const(0.0);
        let len_f = b.ins().fcvt_from_uint(types::F64, len);
        // Ordered comparisons are false for NaN, so a NaN position counts as outside.
        let above = b.ins().fcmp(FloatCC::GreaterThanOrEqual, k, zero);
        let below = b.ins().fcmp(FloatCC::LessThan, k, len_f);
        let inside = b.ins().band(above, below);
        let safe = b.ins().select(inside, k, zero);
        let position = b.ins().fcvt_to_uint_sat(types::I64, safe);
        let off = b.ins().ishl_imm_u(position, 3);
        let addr = b.ins().iadd(base, off);
        let x = b.ins().load(types::F64, cell(), addr, 0);
        let nan = b.ins().f64const(f64::NAN);
        b.ins().select(inside, x, nan)
    }

    /// `column[index(e)] = value`.
    pub(super) fn translate_store(&mut self, col: u32, index: Index, value: Value, el: &Elem) {
        let Some((addr, disp)) = self.address(col, index, el) else {
            return;
        };
        let flags = match el.width {
            Width::One => cell(),
            // Vectorised kernels store only through `Elem` (the analysis rejects shared
            // stores), so the pair is the element's own two cells.
            Width::Two => pair(),
        };
        self.builder.ins().store(flags, value, addr, disp);
    }

    /// Folds a stored value (or pair) into the probe `KernelArgs::stored_probe` reports. The
    /// probe starts at zero, and `0 * x` is zero for finite `x` and NaN for an infinite or NaN
    /// `x`, which stays NaN: so the probe is NaN exactly when some stored value was not finite.
    /// Pairs are multiplied in (a multiply, not an add, keeps the adder ports free for the
    /// kernel's own sums; with fused multiply-adds a pair waits in `pending` for
    /// [`Self::fold_probes`]); single values are OR-ed in as `0 * x` (below).
    pub(super) fn probe_stored(&mut self, value: Value, width: Width) {
        let probe = match width {
            Width::Two if self.inline_fma => {
                self.pending.push(value);
                return;
            }
            Width::Two => self.stored_x2,
            Width::One => self.stored,
        };
        let acc = self.builder.use_var(probe);
        let acc = match width {
            // `0 · value` is ±0 for a finite value and NaN otherwise, and OR-ing the bits of
            // a NaN into ±0 leaves a NaN: a one-cycle dependency from element to element,
            // where multiplying the values into the probe made list kernels (pathways,
            // resets) wait four cycles per element.
            Width::One => {
                let zero = self.translate_const(0.0, Width::One);
                let nan_if_not_finite = self.builder.ins().fmul(value, zero);
                self.builder.ins().bor(acc, nan_if_not_finite)
            }
            Width::Two => self.builder.ins().fmul(acc, value),
        };
        self.builder.def_var(probe, acc);
    }

    /// One value that is finite exactly when all of `values` are, combined as a balanced
    /// tree: `fma(a, 0, b)` is `b` for finite `a` and NaN otherwise (`0 * a` is exact, so no
    /// product can overflow), one instruction per value, and the values of one iteration need
    /// not wait for each other. `None` for no values.
    pub(super) fn combine_probes(&mut self, mut values: Vec<Value>) -> Option<Value> {
        if values.len() > 1 {
            let zero = self.translate_const(0.0, Width::Two);
            while values.len() > 1 {
                values = values
                    .chunks(2)
                    .map(|c| match c {
                        [a, b] => self.builder.ins().fma(*a, zero, *b),
                        _ => c[0],
                    })
                    .collect();
            }
        }
        values.pop()
    }

    /// Multiplies the iteration's pending probes into the `f64x2` probe: one multiply that
    /// depends on the previous iteration, however many values the iteration stored (four
    /// chained multiplies made LIF's loop twice as slow).
    pub(super) fn fold_probes(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        if let Some(combined) = self.combine_probes(pending) {
            let acc = self.builder.use_var(self.stored_x2);
            let acc = self.builder.ins().fmul(acc, combined);
            self.builder.def_var(self.stored_x2, acc);
        }
    }

    /// The element index as `f64`; `fcvt_from_uint` rounds like Rust's `as f64`.
    fn translate_elem_index(&mut self, index: Index, el: &Elem) -> Value {
        let f64t = types::F64;
        let i = match index {
            Index::Elem => el.e,
            Index::Pre | Index::Post => {
                let j = if index == Index::Pre { el.pre } else { el.post };
                match j {
                    Some(j) => j,
                    None => return self.nan(el.width),
                }
            }
            Index::Shared => return self.translate_const(0.0, el.width),
        };
        let x0 = self.builder.ins().fcvt_from_uint(f64t, i);
        match el.width {
            Width::One => x0,
            Width::Two => {
                // Each lane converts its own integer, so no rounding differs from the scalar
                // loop even beyond 2^53.
                let i1 = self.builder.ins().iadd_imm_s(i, 1);
                let x1 = self.builder.ins().fcvt_from_uint(f64t, i1);
                self.pack(x0, x1)
            }
        }
    }

    // ---- arithmetic -----------------------------------------------------------------------

    /// Arithmetic operators: IEEE operations inline; `//`, `%` and `**` through the host
    /// functions.
    fn translate_arith(&mut self, op: BinOp, a: Value, b: Value, w: Width) -> Value {
        let ins = self.builder.ins();
        match op {
            BinOp::Add => ins.fadd(a, b),
            BinOp::Sub => ins.fsub(a, b),
            BinOp::Mul => ins.fmul(a, b),
            BinOp::Div => ins.fdiv(a, b),
            _ => match Intrinsic::for_binop(op) {
                Some(f) => self.call_lanes(f, &[a, b], w),
                // Unreachable: boolean operators are translated as conditions.
                None => self.nan(w),
            },
        }
    }

    // ---- comparisons, booleans, select ----------------------------------------------------

    /// The mask of "`expr` is nonzero" (the IR's truth test, NaN counting as nonzero): `I8`
    /// for one element, an `I64X2` lane mask for two.
    ///
    /// Comparisons, `not`, `and` and `or` produce their mask directly instead of going through
    /// 0/1 and testing that again: their 0/1 value is nonzero exactly when the mask is set, so
    /// the result is the same and spikes and selects save two instructions. Ordered
    /// comparisons are false for NaN, as in Rust; both operands of `and`/`or` are evaluated,
    /// as documented (they have no effects).
    pub(super) fn translate_condition(&mut self, expr: &Expr, at: Option<&Elem>) -> Value {
        let w = at.map_or(Width::One, |el| el.width);
        match expr {
            Expr::Binary { op, lhs, rhs } if is_boolean(expr) => {
                if let Some(cc) = compare_cc(*op) {
                    let a = self.translate_expr(lhs, at);
                    // `b != 0` of a 0/1 value made from a mask is that mask.
                    if cc == FloatCC::NotEqual && matches!(**rhs, Expr::Const(z) if z == 0.0) {
                        if let Some(&m) = self.masks.get(&a) {
                            return m;
                        }
                    }
                    let b = self.translate_expr(rhs, at);
                    return self.builder.ins().fcmp(cc, a, b);
                }
                let ma = self.translate_condition(lhs, at);
                let mb = self.translate_condition(rhs, at);
                if *op == BinOp::And {
                    self.builder.ins().band(ma, mb)
                } else {
                    self.builder.ins().bor(ma, mb)
                }
            }
            Expr::Unary { op: UnOp::Not, arg } => {
                let x = self.translate_expr(arg, at);
                // `not` of a 0/1 value made from a mask is that mask inverted: lanes are all
                // ones or all zeros, one element's mask is 0 or 1.
                if let Some(&m) = self.masks.get(&x) {
                    return match w {
                        Width::Two => self.builder.ins().bnot(m),
                        Width::One => self.builder.ins().bxor_imm_u(m, 1),
                    };
                }
                let zero = self.translate_const(0.0, w);
                self.builder.ins().fcmp(FloatCC::Equal, x, zero)
            }
            _ => {
                let x = self.translate_expr(expr, at);
                if let Some(&m) = self.masks.get(&x) {
                    return m;
                }
                let zero = self.translate_const(0.0, w);
                // Cranelift's `NotEqual` is "unordered or not equal", like Rust's `!=`.
                self.builder.ins().fcmp(FloatCC::NotEqual, x, zero)
            }
        }
    }

    /// A mask as `0.0`/`1.0`: `select` for one element; for two, the all-ones lanes are
    /// and-ed with the bits of `1.0`, which leaves `1.0` where the mask is set and `+0.0`
    /// elsewhere.
    fn mask_to_f64(&mut self, m: Value, w: Width) -> Value {
        let v = self.mask_to_f64_uncached(m, w);
        self.masks.insert(v, m);
        v
    }

    fn mask_to_f64_uncached(&mut self, m: Value, w: Width) -> Value {
        match w {
            Width::One => {
                let one = self.builder.ins().f64const(1.0);
                let zero = self.builder.ins().f64const(0.0);
                self.builder.ins().select(m, one, zero)
            }
            Width::Two => {
                let bits = self
                    .builder
                    .ins()
                    .iconst(types::I64, 1.0f64.to_bits() as i64);
                let ones = self.builder.ins().splat(types::I64X2, bits);
                let r = self.builder.ins().band(m, ones);
                // Same lane count and width, so no byte-order flag is needed.
                self.builder
                    .ins()
                    .bitcast(types::F64X2, MemFlagsData::new(), r)
            }
        }
    }

    /// `if cond != 0 { a } else { b }` given the condition's mask; both sides were evaluated
    /// (they have no effects). Two lanes pick bitwise with `bitselect`, on the integer view of
    /// the vectors.
    pub(super) fn translate_select(&mut self, m: Value, a: Value, b: Value, w: Width) -> Value {
        match w {
            Width::One => self.builder.ins().select(m, a, b),
            Width::Two => {
                let flags = MemFlagsData::new();
                let ai = self.builder.ins().bitcast(types::I64X2, flags, a);
                let bi = self.builder.ins().bitcast(types::I64X2, flags, b);
                let r = self.builder.ins().bitselect(m, ai, bi);
                self.builder.ins().bitcast(types::F64X2, flags, r)
            }
        }
    }

    // ---- math calls -----------------------------------------------------------------------

    /// A math function: `sqrt`, `abs` and (on hosts with the instructions) `floor`, `ceil`,
    /// `int` inline, since they are exact; every other function calls `backend::funcs`.
    pub(super) fn translate_call(&mut self, func: Func, args: &[Value], w: Width) -> Value {
        let ins = self.builder.ins();
        match (func, args) {
            (Func::Sqrt, [x]) => ins.sqrt(*x),
            (Func::Abs, [x]) => ins.fabs(*x),
            (Func::Floor, [x]) if self.inline_rounding => ins.floor(*x),
            (Func::Ceil, [x]) if self.inline_rounding => ins.ceil(*x),
            (Func::Trunc, [x]) if self.inline_rounding => ins.trunc(*x),
            (Func::Fma, [a, b, c]) if self.inline_fma => ins.fma(*a, *b, *c),
            (Func::FastExp | Func::FastExpm1 | Func::FastExprel, [x]) => {
                self.translate_fast_exp(func, *x, w)
            }
            _ if args.len() == func.arity() => self.call_lanes(Intrinsic::Func(func), args, w),
            // Unreachable for validated kernels (arity is checked).
            _ => self.nan(w),
        }
    }

    /// Calls a float intrinsic once, or once per lane: lanes are extracted, each call gets
    /// scalar arguments, and the results are packed again.
    fn call_lanes(&mut self, f: Intrinsic, args: &[Value], w: Width) -> Value {
        match (w, f, args) {
            (Width::One, _, _) => self.call(f, args),
            // A one-argument function takes both lanes in one call.
            (Width::Two, Intrinsic::Func(func), &[x]) if funcs::unary_pair(func).is_some() => {
                let lo = self.builder.ins().extractlane(x, 0);
                let hi = self.builder.ins().extractlane(x, 1);
                let results = self
                    .call_inst(Intrinsic::FuncPair(func), &[lo, hi])
                    .map(|inst| self.builder.inst_results(inst).to_vec());
                match results.as_deref() {
                    Some(&[a, b]) => self.pack(a, b),
                    _ => self.nan(w),
                }
            }
            (Width::Two, _, _) => {
                let mut lanes = [None; 2];
                for (lane, out) in lanes.iter_mut().enumerate() {
                    let xs: Vec<Value> = args
                        .iter()
                        .map(|&a| self.builder.ins().extractlane(a, lane as u8))
                        .collect();
                    *out = Some(self.call(f, &xs));
                }
                match lanes {
                    [Some(a), Some(b)] => self.pack(a, b),
                    _ => self.nan(w),
                }
            }
        }
    }

    /// One call to an intrinsic with scalar arguments; returns its `f64` result.
    fn call(&mut self, f: Intrinsic, args: &[Value]) -> Value {
        match self.call_inst(f, args) {
            Some(inst) => self.builder.inst_results(inst)[0],
            // Unreachable: every intrinsic is declared before translation.
            None => self.nan(Width::One),
        }
    }

    /// The call instruction of [`Self::call`] (whose results may be several); `None` only
    /// for an intrinsic that was not declared, which cannot happen.
    fn call_inst(&mut self, f: Intrinsic, args: &[Value]) -> Option<cranelift_codegen::ir::Inst> {
        let fref = match self.imports.get(&f) {
            Some(&r) => r,
            None => {
                let &id = self.funcs.get(&f)?;
                // Importing makes the module-level declaration callable from this function.
                let r = self.module.declare_func_in_func(id, self.builder.func);
                self.imports.insert(f, r);
                r
            }
        };
        Some(self.builder.ins().call(fref, args))
    }

    // ---- random numbers -------------------------------------------------------------------

    /// `rng::stream(seed, object, site, step)`, emitted in the entry block.
    pub(super) fn translate_stream(&mut self, site: u32) -> Value {
        let inv = self.inv();
        let (seed, step) = (inv.seed, inv.step);
        let object = self
            .builder
            .ins()
            .iconst(types::I64, self.kernel.rng_object as i64);
        let site = self.builder.ins().iconst(types::I64, i64::from(site));
        self.call(Intrinsic::Stream, &[seed, object, site, step])
    }

    /// `rng::uniform_at`/`rng::normal_at` on the site's stream, which together are
    /// `rng::uniform`/`rng::normal` keyed by (seed, object, site, element, step); in the vector
    /// loop each lane computes its own element's number. Both are inlined: the word
    /// `rng::draw(stream, element)`, its conversion to `[0, 1)`, and the ziggurat's common case;
    /// only the ziggurat's rare rejections and tail call `rng::normal_from_word`.
    fn translate_rand(&mut self, f: Intrinsic, site: u32, el: &Elem) -> Value {
        let found = self.inv().streams.iter().find(|(s, _)| *s == site);
        let Some(&(_, stream)) = found else {
            // Unreachable: `Usage::rand_sites` lists every site of the body.
            return self.nan(el.width);
        };
        // `stream + e·γ`, the input of element e's mixing round; the next element's is γ more.
        let b = &mut self.builder;
        let step = b.ins().imul_imm_u(el.e, rng::GAMMA as i64);
        let z0 = b.ins().iadd(stream, step);
        let r0 = self.random_lane(f, z0);
        match el.width {
            Width::One => r0,
            Width::Two => {
                let gamma = self.builder.ins().iconst(types::I64, rng::GAMMA as i64);
                let z1 = self.builder.ins().iadd(z0, gamma);
                let r1 = self.random_lane(f, z1);
                self.pack(r0, r1)
            }
        }
    }

    /// One element's uniform or normal number (`F64`) from `stream + element·γ`.
    fn random_lane(&mut self, f: Intrinsic, z: Value) -> Value {
        let word = self.mix_inline(z);
        match f {
            Intrinsic::Normal => self.normal_inline(word),
            _ => self.unit_inline(word),
        }
    }

    /// `rng::draw(stream, e) = mix(stream + e·γ)`, the SplitMix64 round, on an `I64` `z`
    /// that is `stream + e·γ`.
    fn mix_inline(&mut self, mut z: Value) -> Value {
        let b = &mut self.builder;
        for (k, &shift) in rng::MIX_SHIFT.iter().enumerate() {
            let s = b.ins().ushr_imm_u(z, i64::from(shift));
            z = b.ins().bxor(z, s);
            if let Some(&m) = rng::MIX_MUL.get(k) {
                z = b.ins().imul_imm_u(z, m as i64);
            }
        }
        z
    }

    /// `rng::unit(word) = (word >> 11) as f64 · 2^-53`; the top 53 bits convert exactly (as
    /// signed, since they are below 2^63).
    fn unit_inline(&mut self, word: Value) -> Value {
        let b = &mut self.builder;
        let top = b.ins().ushr_imm_u(word, 11);
        let x = b.ins().fcvt_from_sint(types::F64, top);
        let scale = b.ins().f64const(rng::UNIT_SCALE);
        b.ins().fmul(x, scale)
    }

    /// `rng::normal_from_word(word)`: `x = (2·unit(word) − 1)·edge[i]` for
    /// `i = word & rng::LAYER_MASK`, kept when `|x| < edge[i + 1]` (99.6% of words); otherwise
    /// a call (cold block).
    fn normal_inline(&mut self, word: Value) -> Value {
        let edges = rng::ziggurat_edges();
        let b = &mut self.builder;
        // 2·unit(word) = (word >> 11)·2^-52 exactly (scaling by a power of two), so one
        // multiply instead of two; subtracting 1 is exact either way (the sum lies in [-1, 1)
        // on the grid of 2^-52), so `u` has the interpreter's bits.
        let top = b.ins().ushr_imm_u(word, 11);
        let x = b.ins().fcvt_from_sint(types::F64, top);
        let scale = b.ins().f64const(2.0 * rng::UNIT_SCALE);
        let scaled = b.ins().fmul(x, scale);
        let one = b.ins().f64const(1.0);
        let u = b.ins().fsub(scaled, one);
        let layer = b.ins().band_imm_u(word, rng::LAYER_MASK as i64);
        let off = b.ins().ishl_imm_u(layer, 3);
        // The table is a process-lifetime static of `LAYER_MASK + 2` values, and
        // `layer + 1 <= LAYER_MASK + 1`.
        let table = b.ins().iconst(types::I64, edges.as_ptr() as i64);
        let p = b.ins().iadd(table, off);
        let flags = MemFlagsData::trusted().with_readonly();
        let edge = b.ins().load(types::F64, flags, p, 0);
        let next = b.ins().load(types::F64, flags, p, 8);
        let x = b.ins().fmul(u, edge);
        let ax = b.ins().fabs(x);
        let fast = b.ins().fcmp(FloatCC::LessThan, ax, next);
        let slow = b.create_block();
        b.set_cold_block(slow);
        let done = b.create_block();
        let result = b.append_block_param(done, types::F64);
        b.ins().brif(fast, done, &[BlockArg::Value(x)], slow, &[]);
        self.builder.switch_to_block(slow);
        let r = match self.normal_keep {
            Some(id) => {
                // The wrapper writes the number to the scratch slot (it may return nothing).
                let slot = self.scratch_slot();
                let keep = self.module.declare_func_in_func(id, self.builder.func);
                let b = &mut self.builder;
                let out = b.ins().stack_addr(types::I64, slot, 0);
                b.ins().call(keep, &[word, out]);
                b.ins().load(types::F64, cell(), out, 0)
            }
            None => self.call(Intrinsic::NormalWord, &[word]),
        };
        self.builder.ins().jump(done, &[BlockArg::Value(r)]);
        self.builder.switch_to_block(done);
        result
    }
}

/// True for the operators whose value is a truth value (0/1): comparisons, `not`, `and`, `or`.
fn is_boolean(expr: &Expr) -> bool {
    match expr {
        Expr::Unary { op, .. } => *op == UnOp::Not,
        Expr::Binary { op, .. } => {
            compare_cc(*op).is_some() || matches!(op, BinOp::And | BinOp::Or)
        }
        _ => false,
    }
}

/// The Cranelift condition code of a comparison operator. `NotEqual` is "unordered or not
/// equal", so NaN compares unequal, as in Rust; the ordered ones are false for NaN.
fn compare_cc(op: BinOp) -> Option<FloatCC> {
    Some(match op {
        BinOp::Lt => FloatCC::LessThan,
        BinOp::Le => FloatCC::LessThanOrEqual,
        BinOp::Gt => FloatCC::GreaterThan,
        BinOp::Ge => FloatCC::GreaterThanOrEqual,
        BinOp::Eq => FloatCC::Equal,
        BinOp::Ne => FloatCC::NotEqual,
        _ => return None,
    })
}
