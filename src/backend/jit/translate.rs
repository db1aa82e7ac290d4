//! The per-kernel translator from kernel IR to Cranelift IR: the function skeleton (entry block,
//! prologue, element loops, exits) and the statement families (lets, stores, spike emission).
//!
//! Shaped like cranelift-jit-demo's `FunctionTranslator`: a short-lived value that owns a
//! `FunctionBuilder` for one function and has one `translate_*` method per IR-operation family;
//! the expression families live in [`super::ops`]. The generated function is
//!
//! ```text
//! entry(args):   load every loop-invariant input from KernelArgs; run the prologue
//!                if start >= end: goto exit
//! vec_head:      if end - k >= 8 (only if the body is vectorisable and small):
//! vec_body:          do { body on 4 lane pairs (k+2p, k+2p+1) as f64x2; if any lane
//!                    spiked (cold block): append spikes lane by lane, spike-only stores;
//!                    k += 8 } while end - k >= 8
//! pair_head:     while end - k >= 2 (only if the body is vectorisable)
//! pair_body:         body on lanes (k, k+1) as f64x2; append spikes; k += 2
//! scalar_head:   while k < end
//! scalar_body:       e = k or list[k]; check indices read from list/pre/post; body; k += 1
//! exit:          store spike_count, status = OK; return
//! out_of_bounds: store spike_count, status = OUT_OF_BOUNDS; return
//! ```
//!
//! Every value of the IR is an `f64`, one per element (`Width::One`) or two (`Width::Two`).
//! Temporaries are plain SSA values (the body is straight-line code, so no Cranelift
//! `Variable`s are needed for them); only the loop counter and the spike count are `Variable`s
//! because they cross loop back-edges. This module must only translate what the validated IR
//! says: no rewriting, and nothing that the interpreter would compute differently.

use super::abi::{offset, STATUS_OK, STATUS_OUT_OF_BOUNDS};
use super::analysis::Usage;
use super::intrinsics::Intrinsic;
use crate::lower::ir::{Domain, Expr, Index, Kernel, Stmt};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, Block, FuncRef, InstBuilder, MemFlagsData, StackSlot, StackSlotData, StackSlotKind,
    Value,
};
use cranelift_frontend::{FunctionBuilder, Variable};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Module};
use std::collections::HashMap;

/// How many elements one evaluation of the body covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Width {
    /// One element: values are `F64`, conditions `I8`.
    One,
    /// Two neighbouring elements: values are `F64X2`, conditions `I64X2` lane masks.
    Two,
}

/// The element (or pair of elements) the body is being translated for.
pub(super) struct Elem {
    /// One or two lanes.
    pub width: Width,
    /// `e` as `I64` (the first lane's element for `Width::Two`; the second is `e + 1`).
    pub e: Value,
    /// With `offset`, where `Elem`-indexed columns are read: their cell (or first of two) is at
    /// `elem_ptr[col] + 8 * at + offset`. `at` is the same value for all pairs of an unrolled
    /// iteration, so that each access is one addressing mode with a constant displacement.
    pub at: Value,
    /// Byte displacement added to `at`'s cell (`16 * p` for pair `p` of an iteration).
    pub offset: i32,
    /// `pre[e]` as `I64`, when the body uses it (scalar loop only).
    pub pre: Option<Value>,
    /// `post[e]` as `I64`, when the body uses it (scalar loop only).
    pub post: Option<Value>,
    /// Spike conditions (lane masks) of a vector iteration, in statement order; appended at the
    /// end of the iteration lane by lane so that spikes keep the sequential order.
    pub spike_masks: Vec<Value>,
    /// Stores that change cells only where a spike mask is set (`Usage::spike_only`), done
    /// with the spike appends: `(column, mask, new value, probe the stored value)`.
    pub spike_stores: Vec<(u32, Value, Value, bool)>,
}

/// Values loaded or computed once in the entry block; the entry block dominates every other
/// block, so they can be used anywhere.
pub(super) struct Invariants {
    pub args: Value,
    pub seed: Value,
    pub step: Value,
    pub base: Value,
    pub start: Value,
    pub end: Value,
    pub list: Value,
    pub pre: Value,
    pub post: Value,
    pub pre_len: Value,
    pub post_len: Value,
    pub spikes: Value,
    /// Base pointer of each column.
    pub col_ptr: Vec<Value>,
    /// `KernelArgs::elem_columns`: element `e`'s cell is at `elem_ptr + 8 * e`.
    pub elem_ptr: Vec<Value>,
    /// Length of each column (`I64`).
    pub col_len: Vec<Value>,
    /// Each scalar input as `F64`, and splatted to `F64X2` when the loop is vectorised.
    pub scalars: Vec<Value>,
    pub scalars_x2: Vec<Value>,
    /// Prologue temporaries as `F64`, and splatted.
    pub prologue: Vec<Option<Value>>,
    pub prologue_x2: Vec<Option<Value>>,
    /// `rng::stream(seed, object, site, step)` for each site in `Usage::rand_sites`.
    pub streams: Vec<(u32, Value)>,
}

/// Lane pairs per iteration of the unrolled vector loop, for bodies of at most
/// `UNROLL_MAX_NODES` expression nodes; larger bodies run one pair per iteration, where the
/// loop's own instructions are a small share and more copies would only cost compile time.
/// Three, not four: Cranelift allocates sixteen `xmm` registers, and CUBA's step keeps ten
/// constants live across its loop; four pairs reloaded spilled values from the stack 17
/// times per iteration (4.3 per pair), three reload them 11 times (3.7 per pair) and
/// simulate CUBA at N = 32,000 7% faster (0.298 -> 0.277 s, 11 interleaved runs; LIF and
/// noisy LIF at 10^5 and 10^6 moved by -8% to +2%, within the criterion benches' noise).
pub(super) const UNROLL: usize = 3;
const UNROLL_MAX_NODES: usize = 64;

/// Translates one kernel into the function held by `builder`.
pub(super) struct FunctionTranslator<'a> {
    pub builder: FunctionBuilder<'a>,
    pub module: &'a mut JITModule,
    /// The intrinsics declared in `module`, imported into the function on first use.
    pub funcs: &'a HashMap<Intrinsic, FuncId>,
    pub imports: HashMap<Intrinsic, FuncRef>,
    /// For each 0/1 value made from a mask (`mask_to_f64`), that mask: testing the value for
    /// "nonzero" again (a select's condition, `x != 0`) reuses it instead of comparing.
    pub masks: HashMap<Value, Value>,
    pub kernel: &'a Kernel,
    pub usage: &'a Usage,
    /// Emit the `f64x2` loop (when the body allows it).
    pub vectorise: bool,
    /// Emit floor/ceil/trunc as instructions (hosts with SSE4.1 or equivalent); otherwise call
    /// the host functions, which Cranelift would otherwise need libcalls for.
    pub inline_rounding: bool,
    /// Whether `fma` is an instruction (else a call to `backend::funcs::fma`).
    pub inline_fma: bool,
    pub inv: Option<Invariants>,
    /// The current value of each temporary, at the current width.
    pub temps: Vec<Option<Value>>,
    /// The running spike count (`I64`).
    pub count: Variable,
    /// The loop position `k` (`I64`).
    pub k: Variable,
    /// The probes of the values stored by the scalar loop (`F64`) and by the vector loops
    /// (`F64X2`): a multiply per store tells the runtime whether any stored value was
    /// non-finite (see `probe_stored`).
    pub stored: Variable,
    pub stored_x2: Variable,
    /// Stored pairs of the current vector iteration not yet folded into `stored_x2` (see
    /// `fold_probes`; empty without inline fused multiply-adds).
    pub pending: Vec<Value>,
    /// See `scratch_slot`.
    pub scratch: Option<StackSlot>,
    /// The module's `preserve_all` wrapper of `rng::normal_from_word` (see
    /// `JitBackend::define_normal_keep`), if the kernel draws normal numbers.
    pub normal_keep: Option<FuncId>,
}

/// Flags for loads and stores of `f64`/`u32`/pointer cells: in bounds (checked at the
/// boundary or by compiled checks) and naturally aligned (they come from Rust slices), so they
/// cannot trap.
pub(super) fn cell() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Flags for `f64x2` loads and stores: in bounds but only 8-byte aligned, so the `aligned` flag
/// (which would let x64 fold them into 16-byte-aligned SSE memory operands) must not be set.
pub(super) fn pair() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

impl FunctionTranslator<'_> {
    /// The loop-invariant values; present after `translate_entry`.
    pub(super) fn inv(&self) -> &Invariants {
        // `translate` sets this first thing, before any other method runs.
        self.inv.as_ref().expect("entry translated first")
    }

    /// Builds the whole function.
    pub(super) fn translate(mut self) {
        let ptr = types::I64;
        let entry = self.builder.create_block();
        // The single `*mut KernelArgs` parameter arrives as the entry block's parameter.
        self.builder.append_block_params_for_function_params(entry);
        self.builder.switch_to_block(entry);
        // Nothing jumps to the entry block, so it can be sealed at once.
        self.builder.seal_block(entry);
        let args = self.builder.block_params(entry)[0];
        self.translate_entry(args);

        let exit = self.builder.create_block();
        let oob = self.builder.create_block();
        let scalar_head = self.builder.create_block();
        let zero = self.builder.ins().iconst(ptr, 0);
        self.builder.def_var(self.count, zero);
        let (start, end) = (self.inv().start, self.inv().end);
        self.builder.def_var(self.k, start);
        let zero_f = self.builder.ins().f64const(0.0);
        self.builder.def_var(self.stored, zero_f);
        let zero_x2 = self.builder.ins().splat(types::F64X2, zero_f);
        self.builder.def_var(self.stored_x2, zero_x2);
        // An empty or reversed range runs no element; checking once here means the loops below
        // can rely on `k <= end`, so `end - k` never wraps.
        let nonempty = self.builder.ins().icmp(IntCC::UnsignedLessThan, start, end);
        let first = if self.vectorise && self.usage.vectorisable {
            self.builder.create_block()
        } else {
            scalar_head
        };
        self.builder.ins().brif(nonempty, first, &[], exit, &[]);
        if first != scalar_head {
            self.translate_vector_loop(first, scalar_head);
        }
        self.translate_scalar_loop(scalar_head, exit, oob);
        self.translate_exit(exit, STATUS_OK);
        self.translate_exit(oob, STATUS_OUT_OF_BOUNDS);
        // All back-edges exist now; sealing lets the SSA builder resolve the loop variables.
        self.builder.seal_all_blocks();
        let config = self.module.isa().frontend_config();
        self.builder.finalize(config);
    }

    /// Loads every input that does not change during the call, then runs the prologue.
    fn translate_entry(&mut self, args: Value) {
        let i64t = types::I64;
        let b = &mut self.builder;
        let mut field = |off: i32| b.ins().load(i64t, cell(), args, off);
        let columns = field(offset::COLUMNS);
        let column_lens = field(offset::COLUMN_LENS);
        let scalars_ptr = field(offset::SCALARS);
        let mut inv = Invariants {
            args,
            seed: field(offset::SEED),
            step: field(offset::STEP),
            base: field(offset::BASE),
            start: field(offset::START),
            end: field(offset::END),
            list: field(offset::LIST),
            pre: field(offset::PRE),
            post: field(offset::POST),
            pre_len: field(offset::PRE_LEN),
            post_len: field(offset::POST_LEN),
            spikes: field(offset::SPIKES),
            col_ptr: Vec::new(),
            elem_ptr: Vec::new(),
            col_len: Vec::new(),
            scalars: Vec::new(),
            scalars_x2: Vec::new(),
            prologue: Vec::new(),
            prologue_x2: Vec::new(),
            streams: Vec::new(),
        };
        // Arrays are indexed with `iadd_imm` rather than a load offset so that no index can
        // overflow Cranelift's 32-bit offset immediates.
        // `elem_columns` comes from the host rather than `col_ptr - 8 * base` computed here:
        // Cranelift would recompute that subtraction inside the loop at every use.
        let elem_columns = field(offset::ELEM_COLUMNS);
        for c in 0..self.kernel.columns.len() {
            let at = (c * 8) as i64;
            let p = b.ins().iadd_imm_s(columns, at);
            inv.col_ptr.push(b.ins().load(i64t, cell(), p, 0));
            let p = b.ins().iadd_imm_s(elem_columns, at);
            inv.elem_ptr.push(b.ins().load(i64t, cell(), p, 0));
            let p = b.ins().iadd_imm_s(column_lens, at);
            inv.col_len.push(b.ins().load(i64t, cell(), p, 0));
        }
        for s in 0..self.kernel.scalars.len() {
            let p = b.ins().iadd_imm_s(scalars_ptr, (s * 8) as i64);
            inv.scalars.push(b.ins().load(types::F64, cell(), p, 0));
        }
        self.inv = Some(inv);
        // Each random site's stream is the same for every element, so it is hashed here, once
        // per call; the loop then spends one hash round per element and draw.
        let streams = self
            .usage
            .rand_sites
            .iter()
            .map(|&site| (site, self.translate_stream(site)))
            .collect();
        if let Some(inv) = self.inv.as_mut() {
            inv.streams = streams;
        }
        self.temps = vec![None; self.kernel.n_temps as usize];
        for stmt in &self.kernel.prologue {
            // The validator allows only lets in the prologue.
            if let Stmt::Let { temp, value } = stmt {
                let v = self.translate_expr(value, None);
                self.temps[*temp as usize] = Some(v);
            }
        }
        let prologue = self.temps.clone();
        // Splats for the vector loop are made here, once, rather than in every iteration.
        let want_x2 = self.vectorise && self.usage.vectorisable;
        let b = &mut self.builder;
        let mut splat = |v: Option<Value>| {
            v.filter(|_| want_x2)
                .map(|v| b.ins().splat(types::F64X2, v))
        };
        let prologue_x2 = prologue.iter().map(|v| splat(*v)).collect();
        let inv = self.inv.as_mut().expect("set above");
        inv.scalars_x2 = inv.scalars.iter().filter_map(|v| splat(Some(*v))).collect();
        inv.prologue = prologue;
        inv.prologue_x2 = prologue_x2;
    }

    /// `vec_head`/`vec_body`: `2 * UNROLL` elements per iteration (`UNROLL` `f64x2` pairs)
    /// while that many remain, then `pair_head`/`pair_body` one pair at a time; the scalar loop
    /// takes the odd element. Unrolling divides the loop's own instructions (counter, compare,
    /// branch, spike test), which matter in a kernel as short as LIF's.
    fn translate_vector_loop(&mut self, head: Block, next: Block) {
        // The entry block's branch already leads here.
        let pair_head = self.builder.create_block();
        let pair_body = self.builder.create_block();
        self.builder.switch_to_block(head);
        if self.usage.body_nodes > UNROLL_MAX_NODES {
            self.builder.ins().jump(pair_head, &[]);
        } else {
            self.translate_unrolled(pair_head);
        }

        self.builder.switch_to_block(pair_head);
        let k = self.builder.use_var(self.k);
        let end = self.inv().end;
        let left = self.builder.ins().isub(end, k);
        let two_left = self
            .builder
            .ins()
            .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, left, 2);
        self.builder.ins().brif(two_left, pair_body, &[], next, &[]);

        self.builder.switch_to_block(pair_body);
        let only = self.translate_pair(k, 0);
        self.flush_vector_spikes(&[only]);
        self.fold_probes();
        let k2 = self.builder.ins().iadd_imm_s(k, 2);
        self.builder.def_var(self.k, k2);
        self.builder.ins().jump(pair_head, &[]);
    }

    /// Fills the current block (the loop's entry test) and a new body block with the unrolled
    /// loop, which leaves for `pair_head` when fewer than `2 * UNROLL` elements remain.
    fn translate_unrolled(&mut self, pair_head: Block) {
        let body = self.builder.create_block();
        let k = self.builder.use_var(self.k);
        let end = self.inv().end;
        let left = self.builder.ins().isub(end, k);
        let width = 2 * UNROLL as i64;
        let enough = self
            .builder
            .ins()
            .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, left, width);
        self.builder.ins().brif(enough, body, &[], pair_head, &[]);

        // The loop is rotated: the test for another iteration is at the bottom, so an
        // iteration takes no jump back to a separate head.
        self.builder.switch_to_block(body);
        let k = self.builder.use_var(self.k);
        let mut pairs = Vec::with_capacity(UNROLL);
        for p in 0..UNROLL {
            pairs.push(self.translate_pair(k, p));
        }
        self.flush_vector_spikes(&pairs);
        self.fold_probes();
        let k_next = self.builder.ins().iadd_imm_s(k, width);
        self.builder.def_var(self.k, k_next);
        let left = self.builder.ins().isub(end, k_next);
        let again = self
            .builder
            .ins()
            .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, left, width);
        self.builder.ins().brif(again, body, &[], pair_head, &[]);
    }

    /// The body for elements `k + 2p` and `k + 2p + 1` as one `f64x2` lane pair; spikes stay
    /// pending in the returned element until flushed.
    fn translate_pair(&mut self, k: Value, p: usize) -> Elem {
        let e = if p == 0 {
            k
        } else {
            self.builder.ins().iadd_imm_s(k, 2 * p as i64)
        };
        let mut el = Elem {
            width: Width::Two,
            e,
            at: k,
            offset: 16 * p as i32,
            spike_stores: Vec::new(),
            pre: None,
            post: None,
            spike_masks: Vec::new(),
        };
        self.temps = self.inv().prologue_x2.clone();
        let first = self.pending.len();
        self.translate_body(&mut el);
        // Cranelift places pure instructions where their value is first needed; the pair's
        // probe multiplies would wait for the loop's back edge and keep every stored vector
        // alive (spilled) until then. A store of the pair's combined probe, which stays where
        // it is written, makes them happen here. Worth it only with several probed stores per
        // pair.
        if self.pending.len() >= first + 2 {
            let pair = self.pending.split_off(first);
            if let Some(combined) = self.combine_probes(pair) {
                let slot = self.scratch_slot();
                self.builder
                    .ins()
                    .stack_store(types::I64, combined, slot, 0);
                self.pending.push(combined);
            }
        }
        el
    }

    /// A 16-byte stack slot for short-lived values: the pair probes' store, which is never read
    /// (see `translate_pair`), and the result of the ziggurat's slow path (see `normal_inline`).
    pub(super) fn scratch_slot(&mut self) -> StackSlot {
        if let Some(s) = self.scratch {
            return s;
        }
        let data = StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 4);
        let s = self.builder.create_sized_stack_slot(data);
        self.scratch = Some(s);
        s
    }

    /// `scalar_head`/`scalar_body`: one element per iteration (all of a non-vectorised kernel,
    /// the odd last element of a vectorised one).
    fn translate_scalar_loop(&mut self, head: Block, exit: Block, oob: Block) {
        // Both predecessors (the entry block's branch, or the vector loop's exit) already branch
        // here, so no jump is needed.
        let body = self.builder.create_block();
        self.builder.switch_to_block(head);
        let k = self.builder.use_var(self.k);
        let end = self.inv().end;
        let more = self.builder.ins().icmp(IntCC::UnsignedLessThan, k, end);
        self.builder.ins().brif(more, body, &[], exit, &[]);

        self.builder.switch_to_block(body);
        let mut el = self.translate_element(k, oob);
        self.temps = self.inv().prologue.clone();
        self.translate_body(&mut el);
        let k1 = self.builder.ins().iadd_imm_s(k, 1);
        self.builder.def_var(self.k, k1);
        self.builder.ins().jump(head, &[]);
    }

    /// Finds element `e` for loop position `k` and checks, before any statement runs, every
    /// index that the boundary checks could not cover: listed elements against `Elem` columns
    /// and `pre`/`post`, and `pre[e]`/`post[e]` against the columns they index. A failure
    /// leaves through `oob` before the element has any effect.
    fn translate_element(&mut self, k: Value, oob: Block) -> Elem {
        let i64t = types::I64;
        let list = self.kernel.domain == Domain::List;
        let e = if list {
            let off = self.builder.ins().ishl_imm_u(k, 2);
            let list = self.inv().list;
            let p = self.builder.ins().iadd(list, off);
            let x = self.builder.ins().load(types::I32, cell(), p, 0);
            self.builder.ins().uextend(i64t, x)
        } else {
            k
        };
        let base = self.inv().base;
        let slot = self.builder.ins().isub(e, base);
        if list {
            // `e - base` wraps to a huge value when `e < base`, so one unsigned compare per
            // column covers both ends.
            let mut checks = Vec::new();
            for (c, m) in self.usage.modes.iter().enumerate() {
                if m.elem {
                    let len = self.inv().col_len[c];
                    checks.push(self.builder.ins().icmp(IntCC::UnsignedLessThan, slot, len));
                }
            }
            if self.usage.uses_pre {
                let len = self.inv().pre_len;
                checks.push(self.builder.ins().icmp(IntCC::UnsignedLessThan, e, len));
            }
            if self.usage.uses_post {
                let len = self.inv().post_len;
                checks.push(self.builder.ins().icmp(IntCC::UnsignedLessThan, e, len));
            }
            self.guard(&checks, oob);
        }
        let pre = self
            .usage
            .uses_pre
            .then(|| self.load_index(self.inv().pre, e));
        let post = self
            .usage
            .uses_post
            .then(|| self.load_index(self.inv().post, e));
        let mut checks = Vec::new();
        for (c, m) in self.usage.modes.iter().enumerate() {
            let len = self.inv().col_len[c];
            for (used, j) in [(m.pre, pre), (m.post, post)] {
                if let (true, Some(j)) = (used, j) {
                    checks.push(self.builder.ins().icmp(IntCC::UnsignedLessThan, j, len));
                }
            }
        }
        self.guard(&checks, oob);
        Elem {
            width: Width::One,
            e,
            at: e,
            offset: 0,
            spike_stores: Vec::new(),
            pre,
            post,
            spike_masks: Vec::new(),
        }
    }

    /// `array[e]` for a `u32` array, widened to `I64`.
    fn load_index(&mut self, array: Value, e: Value) -> Value {
        let off = self.builder.ins().ishl_imm_u(e, 2);
        let p = self.builder.ins().iadd(array, off);
        let x = self.builder.ins().load(types::I32, cell(), p, 0);
        self.builder.ins().uextend(types::I64, x)
    }

    /// Continues in a new block if every check holds, else branches to `oob`.
    fn guard(&mut self, checks: &[Value], oob: Block) {
        let Some((&first, rest)) = checks.split_first() else {
            return;
        };
        let all = rest
            .iter()
            .fold(first, |acc, &c| self.builder.ins().band(acc, c));
        let ok = self.builder.create_block();
        self.builder.ins().brif(all, ok, &[], oob, &[]);
        self.builder.switch_to_block(ok);
    }

    /// Stores the spike count and status, then returns.
    fn translate_exit(&mut self, block: Block, status: u64) {
        self.builder.switch_to_block(block);
        let count = self.builder.use_var(self.count);
        let args = self.inv().args;
        self.builder
            .ins()
            .store(cell(), count, args, offset::SPIKE_COUNT);
        let status = self.builder.ins().iconst(types::I64, status as i64);
        self.builder
            .ins()
            .store(cell(), status, args, offset::STATUS);
        // Zeros add to zero; a NaN makes the total NaN.
        let mut probe = self.builder.use_var(self.stored);
        let pair = self.builder.use_var(self.stored_x2);
        for lane in 0..2 {
            let x = self.builder.ins().extractlane(pair, lane);
            probe = self.builder.ins().fadd(probe, x);
        }
        self.builder
            .ins()
            .store(cell(), probe, args, offset::STORED_PROBE);
        self.builder.ins().return_(&[]);
    }

    /// The body's statements for one element (or pair).
    fn translate_body(&mut self, el: &mut Elem) {
        for (pos, stmt) in self.kernel.body.iter().enumerate() {
            match stmt {
                Stmt::Let { temp, value } => {
                    let v = self.translate_expr(value, Some(el));
                    if let Some(slot) = self.temps.get_mut(*temp as usize) {
                        *slot = Some(v);
                    }
                }
                Stmt::Store { col, index, value } => {
                    let check = self.usage.check_store.get(pos).copied().unwrap_or(true);
                    if el.width == Width::Two && self.usage.spike_only.get(pos) == Some(&true) {
                        if let Expr::Select { cond, then, .. } = value {
                            let mask = self.translate_condition(cond, Some(el));
                            let x = self.translate_expr(then, Some(el));
                            el.spike_stores.push((*col, mask, x, check));
                            continue;
                        }
                    }
                    let v = self.translate_expr(value, Some(el));
                    self.translate_store(*col, *index, v, el);
                    if check {
                        self.probe_stored(v, el.width);
                    }
                }
                Stmt::EmitSpike { cond } => {
                    let mask = self.translate_condition(cond, Some(el));
                    match el.width {
                        Width::One => self.append_spike(el.e, mask, false),
                        Width::Two => el.spike_masks.push(mask),
                    }
                }
            }
        }
    }

    /// Appends the pending spikes of a vector iteration: for each pair in order, lane 0's
    /// conditions in statement order, then lane 1's, which is the order of the sequential loop.
    /// Spikes are rare, so one test of all masks together skips the appends in most
    /// iterations.
    fn flush_vector_spikes(&mut self, pairs: &[Elem]) {
        let masks: Vec<Value> = pairs.iter().flat_map(|el| el.spike_masks.clone()).collect();
        let Some((&first, rest)) = masks.split_first() else {
            return;
        };
        let any = rest
            .iter()
            .fold(first, |acc, &m| self.builder.ins().bor(acc, m));
        let any = self.builder.ins().vany_true(any);
        let append = self.builder.create_block();
        // Iterations with a spike are the exception: the appends go after the hot code.
        self.builder.set_cold_block(append);
        let done = self.builder.create_block();
        self.builder.ins().brif(any, append, &[], done, &[]);
        self.builder.switch_to_block(append);
        // The cold block folds its own probes; the iteration's stay pending for the hot path.
        let hot = std::mem::take(&mut self.pending);
        for el in pairs {
            for lane in 0..2u8 {
                let e = self.builder.ins().iadd_imm_s(el.e, i64::from(lane));
                for &mask in &el.spike_masks {
                    let m = self.builder.ins().extractlane(mask, lane);
                    self.append_spike(e, m, true);
                }
            }
            // The deferred stores: their cells still hold the values the body read, and the
            // body does not touch these columns after them.
            for &(col, mask, x, check) in &el.spike_stores {
                let old = self.translate_load(col, Index::Elem, el);
                let v = self.translate_select(mask, x, old, Width::Two);
                self.translate_store(col, Index::Elem, v, el);
                if check {
                    self.probe_stored(v, Width::Two);
                }
            }
        }
        self.fold_probes();
        self.pending = hot;
        self.builder.ins().jump(done, &[]);
        self.builder.switch_to_block(done);
    }

    /// Writes `e` at `spikes[count]` and adds one to `count` if the condition holds.
    ///
    /// Branch-free: the slot is written unconditionally and only the count decides whether it
    /// is kept. The write is always inside the reserved room, because `count` is at most the
    /// number of `EmitSpike` evaluations so far, which is below `(end - start) * n_emit`.
    /// `is_lane_mask` says whether `cond` is an `I64` lane (all ones or zero) or an `I8` 0/1.
    fn append_spike(&mut self, e: Value, cond: Value, is_lane_mask: bool) {
        let count = self.builder.use_var(self.count);
        let off = self.builder.ins().ishl_imm_u(count, 2);
        let spikes = self.inv().spikes;
        let p = self.builder.ins().iadd(spikes, off);
        // Element indices are u32 by contract; the interpreter stores `e as u32` too.
        let e32 = self.builder.ins().ireduce(types::I32, e);
        self.builder.ins().store(cell(), e32, p, 0);
        let one = if is_lane_mask {
            self.builder.ins().band_imm_u(cond, 1)
        } else {
            self.builder.ins().uextend(types::I64, cond)
        };
        let next = self.builder.ins().iadd(count, one);
        self.builder.def_var(self.count, next);
    }
}
