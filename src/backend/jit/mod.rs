//! The Cranelift JIT backend: compiles kernel IR to native code that gives bit-identical results
//! to [`crate::backend::interp`].
//!
//! Shaped like cranelift-jit-demo's `JIT`: [`JitBackend`] is the long-lived owner of the
//! Cranelift contexts (the host ISA, the `FunctionBuilderContext` and the codegen `Context`,
//! reused across compiles), and a short-lived `translate::FunctionTranslator` turns one
//! kernel into one function. Each compiled kernel gets its own `JITModule`, owned by the
//! [`CompiledKernel`] it backs and freed when that is dropped, so a long session that compiles
//! and drops kernels does not grow. A kernel is `extern "C" fn(*mut abi::KernelArgs)`; the
//! argument block is built from the safe [`KernelData`] in [`CompiledKernel::run`], the only
//! place that calls compiled code. This module tree is the only place in the crate allowed to
//! use `unsafe`, and every `unsafe` block states why it is sound.

#![allow(unsafe_code)]

pub mod abi;
mod analysis;
mod fastmath;
mod intrinsics;
mod ops;
mod translate;

use super::{Backend, BackendError, BackendKind, CompiledKernel, KernelData, Stores};
use crate::lower::ir::Kernel;
use crate::lower::validate::validate;
use abi::{check_fits, KernelArgs, Layout, STATUS_OK};
use analysis::Usage;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};
use intrinsics::{Intrinsic, Shape};
use std::collections::HashMap;
use translate::FunctionTranslator;

/// The JIT: the host ISA and the reusable Cranelift contexts.
pub struct JitBackend {
    /// The host target, configured once (`opt_level=speed`, host CPU features).
    isa: OwnedTargetIsa,
    /// Reused by every `FunctionBuilder` (it keeps allocations between functions).
    builder_ctx: FunctionBuilderContext,
    /// The codegen context: holds the function being built and Cranelift's working state.
    ctx: Context,
    /// Whether to emit the `f64x2` element loop for kernels that allow it.
    vectorise: bool,
    /// Whether `floor`/`ceil`/`trunc` can be single instructions on this host.
    inline_rounding: bool,
    inline_fma: bool,
}

impl JitBackend {
    /// A JIT for the host CPU, with vectorisation on. Fails (and the caller falls back to the
    /// interpreter) if Cranelift does not support the host or the host is not 64-bit.
    pub fn new() -> Result<JitBackend, BackendError> {
        let err = |message: String| BackendError { message };
        let mut flags = settings::builder();
        // `speed` runs Cranelift's optimiser (GVN, LICM, ...); none of its rewrites change IEEE
        // results. The JIT module needs absolute addressing and non-colocated libcalls because
        // code and host functions can be far apart in memory.
        for (name, value) in [
            ("opt_level", "speed"),
            ("use_colocated_libcalls", "false"),
            ("is_pic", "false"),
        ] {
            flags
                .set(name, value)
                .map_err(|e| err(format!("cranelift setting {name}: {e}")))?;
        }
        let isa_builder = cranelift_native::builder().map_err(|e| err(e.to_string()))?;
        let isa = isa_builder
            .finish(settings::Flags::new(flags))
            .map_err(|e| err(e.to_string()))?;
        if isa.pointer_type() != types::I64 {
            return Err(err("the JIT needs a 64-bit host".to_string()));
        }
        // On x86-64, vector and scalar rounding are single instructions only with SSE4.1;
        // without it we call the host functions instead of relying on Cranelift libcalls. Other
        // architectures have no such flag and always have the instructions.
        let inline_rounding = isa
            .isa_flags()
            .iter()
            .find(|v| v.name == "has_sse41")
            .is_none_or(|v| v.as_bool() == Some(true));
        // A fused multiply-add is one instruction with FMA; without, the host's `fma` is called
        // (both round once, so the results are the same).
        let inline_fma = isa
            .isa_flags()
            .iter()
            .find(|v| v.name == "has_fma")
            .is_none_or(|v| v.as_bool() == Some(true));
        Ok(JitBackend {
            ctx: Context::new(),
            builder_ctx: FunctionBuilderContext::new(),
            isa,
            vectorise: true,
            inline_rounding,
            inline_fma,
        })
    }

    /// Turns the `f64x2` loop on or off (on by default). Off, every kernel runs the scalar loop;
    /// the differential tests run both ways.
    pub fn set_vectorise(&mut self, on: bool) {
        self.vectorise = on;
    }

    /// Computes fused multiply-adds by calling `backend::funcs::fma` even where the host has
    /// the instruction (the path of hosts without it; the differential tests run both).
    pub fn call_fma(&mut self) {
        self.inline_fma = false;
    }

    /// A fresh module for one kernel, with every intrinsic registered as a symbol and declared
    /// as an import (unused declarations cost nothing and are never resolved).
    fn new_module(&self) -> Result<(JITModule, HashMap<Intrinsic, FuncId>), BackendError> {
        let mut builder = JITBuilder::with_isa(self.isa.clone(), default_libcall_names());
        for f in intrinsics::all() {
            builder.symbol(f.symbol(), f.address());
        }
        let mut module = JITModule::new(builder);
        let mut funcs = HashMap::new();
        for f in intrinsics::all() {
            let mut sig = module.make_signature();
            let (n, ty, ret) = match f.shape() {
                Shape::Float(n) => (n, types::F64, types::F64),
                // Two results: `funcs::Pair`, returned in two float registers.
                Shape::FloatPair => {
                    sig.returns.push(AbiParam::new(types::F64));
                    (2, types::F64, types::F64)
                }
                Shape::RngStream => (4, types::I64, types::I64),
                Shape::RngDraw => (2, types::I64, types::F64),
                Shape::RngWord => (1, types::I64, types::F64),
            };
            sig.params.extend((0..n).map(|_| AbiParam::new(ty)));
            sig.returns.push(AbiParam::new(ret));
            let id = module
                .declare_function(&f.symbol(), Linkage::Import, &sig)
                .map_err(|e| internal("declaring an intrinsic", e))?;
            funcs.insert(f, id);
        }
        Ok((module, funcs))
    }

    /// Defines `snnc_normal_word_keep(word, out)` in `module`: `*out =
    /// rng::normal_from_word(word)` in Cranelift's `preserve_all` convention, which saves every
    /// register it uses (including those the host function clobbers) and returns nothing. The
    /// ziggurat's slow path calls it, so the call in the element loop clobbers no register
    /// and the loop's invariants stay in registers instead of being reloaded from the stack
    /// for every pair (the call runs for 0.43% of draws; the saving is on every pair).
    fn define_normal_keep(
        &mut self,
        module: &mut JITModule,
        funcs: &HashMap<Intrinsic, FuncId>,
    ) -> Result<FuncId, BackendError> {
        let word_fn = funcs
            .get(&Intrinsic::NormalWord)
            .copied()
            .ok_or_else(|| BackendError {
                message: "internal error: rng_normal_word is not declared".into(),
            })?;
        module.clear_context(&mut self.ctx);
        let sig = &mut self.ctx.func.signature;
        sig.call_conv = CallConv::PreserveAll;
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I64));
        let id = module
            .declare_function(
                "snnc_normal_word_keep",
                Linkage::Local,
                &self.ctx.func.signature,
            )
            .map_err(|e| internal("declaring the normal wrapper", e))?;
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.builder_ctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        b.seal_block(entry);
        let (word, out) = (b.block_params(entry)[0], b.block_params(entry)[1]);
        let callee = module.declare_func_in_func(word_fn, b.func);
        let call = b.ins().call(callee, &[word]);
        let x = b.inst_results(call)[0];
        b.ins().store(translate::cell(), x, out, 0);
        b.ins().return_(&[]);
        b.finalize(module.isa().frontend_config());
        let defined = module.define_function(id, &mut self.ctx);
        module.clear_context(&mut self.ctx);
        defined.map_err(|e| internal("compiling the normal wrapper", e))?;
        Ok(id)
    }
}

impl Backend for JitBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Jit
    }

    fn compile(&mut self, kernel: &Kernel) -> Result<Box<dyn CompiledKernel>, BackendError> {
        validate(kernel).map_err(|message| BackendError { message })?;
        let usage = Usage::of(kernel);
        let (module, funcs) = self.new_module()?;
        // From here on the module is owned by `code`, so it is freed on every exit path.
        let mut code = Code {
            module: Some(module),
        };
        let module = code.module.as_mut().expect("just set");

        let normal_keep = if usage.normal {
            Some(self.define_normal_keep(module, &funcs)?)
        } else {
            None
        };

        // The signature `extern "C" fn(*mut KernelArgs)`.
        module.clear_context(&mut self.ctx);
        self.ctx
            .func
            .signature
            .params
            .push(AbiParam::new(types::I64));
        let id = module
            .declare_function("snnc_kernel", Linkage::Local, &self.ctx.func.signature)
            .map_err(|e| internal("declaring the kernel", e))?;

        let mut builder = FunctionBuilder::new(&mut self.ctx.func, &mut self.builder_ctx);
        let count = builder.declare_var(types::I64);
        let k = builder.declare_var(types::I64);
        let stored = builder.declare_var(types::F64);
        let stored_x2 = builder.declare_var(types::F64X2);
        FunctionTranslator {
            builder,
            module,
            funcs: &funcs,
            imports: HashMap::new(),
            masks: HashMap::new(),
            kernel,
            usage: &usage,
            vectorise: self.vectorise,
            inline_rounding: self.inline_rounding,
            inline_fma: self.inline_fma,
            inv: None,
            temps: Vec::new(),
            count,
            k,
            stored,
            stored_x2,
            pending: Vec::new(),
            scratch: None,
            normal_keep,
        }
        .translate();

        // Compile to machine code, then resolve the calls to host functions and make the code
        // executable.
        let defined = module.define_function(id, &mut self.ctx);
        module.clear_context(&mut self.ctx);
        defined.map_err(|e| internal("compiling", e))?;
        module
            .finalize_definitions()
            .map_err(|e| internal("finalizing", e))?;
        let ptr = module.get_finalized_function(id);
        // SAFETY: `ptr` is the finalized code of the function just defined, whose signature is
        // `(i64) -> ()` in the host's default (C) calling convention, i.e. exactly
        // `extern "C" fn(*mut KernelArgs)`. It stays valid as long as `code` (stored next to it
        // in `JitKernel`) is alive.
        let entry =
            unsafe { std::mem::transmute::<*const u8, unsafe extern "C" fn(*mut KernelArgs)>(ptr) };
        Ok(Box::new(JitKernel {
            entry,
            layout: Layout {
                name: kernel.name.clone(),
                domain: kernel.domain,
                n_columns: kernel.columns.len(),
                n_scalars: kernel.scalars.len(),
                usage,
            },
            _code: code,
        }))
    }
}

fn internal(what: &str, e: impl std::fmt::Display) -> BackendError {
    BackendError {
        message: format!("internal error: JIT failed {what}: {e}"),
    }
}

/// The module that owns a kernel's machine code; frees it when dropped.
struct Code {
    module: Option<JITModule>,
}

impl Drop for Code {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the only pointer into this module's memory is `JitKernel::entry`, and
            // `Code` is dropped only together with its `JitKernel` (it is a field of it, or a
            // local of a `compile` that failed before any pointer was taken). `run` borrows the
            // kernel, so no call is executing while it is dropped.
            unsafe { module.free_memory() };
        }
    }
}

/// A compiled kernel: the entry point, what `run` must check, and the code's owner.
struct JitKernel {
    entry: unsafe extern "C" fn(*mut KernelArgs),
    layout: Layout,
    /// Declared last so that it is dropped after everything that refers to it.
    _code: Code,
}

// SAFETY: after `compile` returns, the module is never used again except to free it in `Drop`
// (which needs `&mut`, hence exclusive access), and the machine code is immutable and
// reentrant: it keeps no state outside the `KernelArgs` of each call, whose data `run` borrows
// exclusively. So sharing or sending a `JitKernel` between threads cannot race.
unsafe impl Send for JitKernel {}
// SAFETY: see `Send` above.
unsafe impl Sync for JitKernel {}

impl CompiledKernel for JitKernel {
    fn run(&self, data: &mut KernelData<'_>) -> Stores {
        check_fits(&self.layout, data);
        let visited = data.end.saturating_sub(data.start);
        let room = visited.saturating_mul(self.layout.usage.n_emit);
        data.spikes.reserve(room);
        // The pointer and length arrays live on the stack for up to 16 columns (a call over a
        // small group is short enough for three heap allocations to show).
        const ON_STACK: usize = 16;
        let n = data.columns.len();
        let (mut c_buf, mut e_buf, mut l_buf) = (
            [std::ptr::null_mut::<f64>(); ON_STACK],
            [std::ptr::null_mut::<f64>(); ON_STACK],
            [0u64; ON_STACK],
        );
        let (mut c_vec, mut e_vec, mut l_vec) = (Vec::new(), Vec::new(), Vec::new());
        let (columns, elem_columns, column_lens): (&mut [*mut f64], &mut [*mut f64], &mut [u64]) =
            if n <= ON_STACK {
                (&mut c_buf[..n], &mut e_buf[..n], &mut l_buf[..n])
            } else {
                c_vec.resize(n, std::ptr::null_mut());
                e_vec.resize(n, std::ptr::null_mut());
                l_vec.resize(n, 0);
                (&mut c_vec[..], &mut e_vec[..], &mut l_vec[..])
            };
        for (k, c) in data.columns.iter_mut().enumerate() {
            columns[k] = c.as_mut_ptr();
            elem_columns[k] = columns[k].wrapping_sub(data.base);
            column_lens[k] = c.len() as u64;
        }
        let mut args = KernelArgs {
            columns: columns.as_ptr(),
            elem_columns: elem_columns.as_ptr(),
            column_lens: column_lens.as_ptr(),
            scalars: data.scalars.as_ptr(),
            pre: data.pre.as_ptr(),
            pre_len: data.pre.len() as u64,
            post: data.post.as_ptr(),
            post_len: data.post.len() as u64,
            list: data.list.as_ptr(),
            start: data.start as u64,
            end: data.end as u64,
            base: data.base as u64,
            step: data.step,
            seed: data.seed,
            // The first free slot; `reserve` made room for `room` values after it.
            spikes: data.spikes.spare_capacity_mut().as_mut_ptr().cast::<u32>(),
            spike_count: 0,
            status: STATUS_OK,
            stored_probe: 0.0,
        };
        // SAFETY: `entry` is this kernel's code (see `compile`), alive while `self` is. Every
        // pointer in `args` comes from a live slice of `data`, which `run` borrows exclusively
        // for the whole call, or from the arrays above (`elem_columns` are only used offset
        // by an element in `start..end`, at or above `base`, which lands inside the column).
        // `check_fits` verified the counts and every index the code uses unchecked; the code
        // itself checks indices read from `list`/`pre`/`post` before using them. Spike writes stay within the `room` reserved
        // above (at most `n_emit` per visited element).
        unsafe { (self.entry)(&mut args) };
        let count = args.spike_count as usize;
        assert!(count <= room, "internal error: JIT wrote too many spikes");
        let len = data.spikes.len();
        // SAFETY: the kernel initialised `count <= room` values starting at the old length, all
        // within the capacity reserved above.
        unsafe { data.spikes.set_len(len + count) };
        assert_eq!(
            args.status, STATUS_OK,
            "kernel `{}`: an element index read from the element list, `pre` or `post` is out of \
             bounds",
            self.layout.name
        );
        if args.stored_probe.is_finite() {
            Stores::Finite
        } else {
            Stores::MaybeNonFinite
        }
    }
}

#[cfg(test)]
mod tests;
