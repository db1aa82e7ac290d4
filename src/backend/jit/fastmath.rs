//! The inline fast `exp`, `expm1` and `exprel` (`Func::FastExp`, `FastExpm1`, `FastExprel`):
//! the operations of [`crate::backend::fastmath`], emitted one for one on `F64`/`I64` for one
//! element or on `F64X2`/`I64X2` for two. Every operation is exactly specified (IEEE additions
//! and multiplications, comparisons, integer arithmetic on the bits), so the results equal the
//! interpreter's calls of those functions bit for bit.

use super::translate::{FunctionTranslator, Width};
use crate::backend::fastmath::{BIAS, COEFFS, HI, LN2_HI, LN2_LO, LO, LOG2E, SHIFT};
use crate::lower::ir::Func;
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};

impl FunctionTranslator<'_> {
    /// `fast_exp`, `fast_expm1` or `fast_exprel` of `x`.
    pub(super) fn translate_fast_exp(&mut self, func: Func, x: Value, w: Width) -> Value {
        match func {
            Func::FastExprel => {
                // `if |x| < 1e-16 { 1 } else if x > 717 { inf } else { expm1(x) / x }`: the
                // two conditions exclude each other, so the order of the selects is free.
                let e = self.fast_core(x, true, w);
                let q = self.builder.ins().fdiv(e, x);
                let big = self.translate_const(717.0, w);
                let over = self.builder.ins().fcmp(FloatCC::GreaterThan, x, big);
                let inf = self.translate_const(f64::INFINITY, w);
                let q = self.translate_select(over, inf, q, w);
                let ax = self.builder.ins().fabs(x);
                let tiny = self.translate_const(1e-16, w);
                let small = self.builder.ins().fcmp(FloatCC::LessThan, ax, tiny);
                let one = self.translate_const(1.0, w);
                self.translate_select(small, one, q, w)
            }
            Func::FastExpm1 => self.fast_core(x, true, w),
            _ => self.fast_core(x, false, w),
        }
    }

    /// `fastmath::exp` (or `expm1` when `minus_one`), operation by operation.
    fn fast_core(&mut self, x: Value, minus_one: bool, w: Width) -> Value {
        // `x.clamp(LO, HI)`: `if x < LO { LO }`, then `if x > HI { HI }` (NaN passes).
        let lo = self.translate_const(LO, w);
        let below = self.builder.ins().fcmp(FloatCC::LessThan, x, lo);
        let x = self.translate_select(below, lo, x, w);
        let hi = self.translate_const(HI, w);
        let above = self.builder.ins().fcmp(FloatCC::GreaterThan, x, hi);
        let x = self.translate_select(above, hi, x, w);
        let shift = self.translate_const(SHIFT, w);
        let shift_bits = self.iconst(SHIFT.to_bits() as i64, w);
        let log2e = self.translate_const(LOG2E, w);
        let t = self.fma(x, log2e, shift, w);
        let kd = self.builder.ins().fsub(t, shift);
        let k = self.bits_of(t, w);
        let k = self.builder.ins().isub(k, shift_bits);
        let half = self.translate_const(0.5, w);
        let t1 = self.fma(kd, half, shift, w);
        let k1 = self.bits_of(t1, w);
        let k1 = self.builder.ins().isub(k1, shift_bits);
        let k2 = self.builder.ins().isub(k, k1);
        let neg_kd = self.builder.ins().fneg(kd);
        let ln2_hi = self.translate_const(LN2_HI, w);
        let r = self.fma(neg_kd, ln2_hi, x, w);
        let ln2_lo = self.translate_const(LN2_LO, w);
        let r = self.fma(neg_kd, ln2_lo, r, w);
        let r2 = self.builder.ins().fmul(r, r);
        let r4 = self.builder.ins().fmul(r2, r2);
        let r8 = self.builder.ins().fmul(r4, r4);
        let mut p = Vec::with_capacity(6);
        for i in 0..6 {
            let odd = self.translate_const(COEFFS[2 * i + 1], w);
            let even = self.translate_const(COEFFS[2 * i], w);
            p.push(self.fma(odd, r, even, w));
        }
        let s0 = self.fma(p[1], r2, p[0], w);
        let s1 = self.fma(p[3], r2, p[2], w);
        let s2 = self.fma(p[5], r2, p[4], w);
        let u = self.fma(s1, r4, s0, w);
        let h = self.fma(s2, r8, u, w);
        let q = self.fma(r2, h, r, w);
        let scale1 = self.pow2(k1, w);
        let scale2 = self.pow2(k2, w);
        let addend = if minus_one {
            let neg = self.builder.ins().ineg(k1);
            let inv1 = self.pow2(neg, w);
            self.builder.ins().fsub(scale2, inv1)
        } else {
            scale2
        };
        let inner = self.fma(scale2, q, addend, w);
        self.builder.ins().fmul(scale1, inner)
    }

    /// `a·b + c` rounded once: the instruction, or `funcs::fma` per lane on hosts without it.
    fn fma(&mut self, a: Value, b: Value, c: Value, w: Width) -> Value {
        self.translate_call(Func::Fma, &[a, b, c], w)
    }

    /// `2^k` from its bits: `(k + 1023) << 52` (wrapping, like `fastmath::pow2`).
    fn pow2(&mut self, k: Value, w: Width) -> Value {
        let bias = self.iconst(BIAS, w);
        let e = self.builder.ins().iadd(k, bias);
        // A vector shift takes its amount as a scalar.
        let amount = self.builder.ins().iconst(types::I64, 52);
        let bits = self.builder.ins().ishl(e, amount);
        let ty = match w {
            Width::One => types::F64,
            Width::Two => types::F64X2,
        };
        // Same lane count and width, so no byte-order flag is needed.
        self.builder.ins().bitcast(ty, MemFlagsData::new(), bits)
    }

    /// The bits of a float (or of each lane) as integers.
    fn bits_of(&mut self, v: Value, w: Width) -> Value {
        let ty = match w {
            Width::One => types::I64,
            Width::Two => types::I64X2,
        };
        self.builder.ins().bitcast(ty, MemFlagsData::new(), v)
    }

    /// An integer constant at the current width.
    fn iconst(&mut self, c: i64, w: Width) -> Value {
        let v = self.builder.ins().iconst(types::I64, c);
        match w {
            Width::One => v,
            Width::Two => self.builder.ins().splat(types::I64X2, v),
        }
    }
}
