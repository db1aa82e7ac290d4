//! Stage 4: executing kernel IR. One trait, two implementations.
//!
//! [`interp`] walks the IR and is the specification: simple, obviously correct, no `unsafe`.
//! [`jit`] compiles the same IR with Cranelift and must give bit-identical results. The runtime
//! talks to kernels only through [`Backend`] and [`CompiledKernel`] and never knows which
//! implementation runs. Data crosses the boundary as a [`KernelData`] (safe slices); the JIT
//! turns it into its `#[repr(C)]` argument struct at the boundary.

pub mod cache;
pub mod fastmath;
pub mod funcs;
pub mod interp;
pub mod jit;

use crate::lower::ir::Kernel;
use std::fmt;

/// Which backend to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum BackendKind {
    /// The tree-walking interpreter (the specification).
    Interp,
    /// The Cranelift JIT (the default).
    #[default]
    Jit,
}

impl BackendKind {
    /// The name used on the command line (`interp`, `jit`).
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Interp => "interp",
            BackendKind::Jit => "jit",
        }
    }
}

/// A compiler of kernels.
pub trait Backend: Send {
    /// Which backend this is.
    fn kind(&self) -> BackendKind;
    /// Compiles (or, for the interpreter, validates and stores) a kernel.
    fn compile(&mut self, kernel: &Kernel) -> Result<Box<dyn CompiledKernel>, BackendError>;
}

/// A kernel ready to run. Compiled code lives as long as this value (and the backend that made
/// it, which the kernel keeps alive).
pub trait CompiledKernel: Send + Sync {
    /// Runs the kernel once over `data`; says whether every value it stored was finite.
    fn run(&self, data: &mut KernelData<'_>) -> Stores;
}

/// What a kernel call reports about the values it stored, so that the runtime scans state for
/// NaN and infinity only after a call that may have produced one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stores {
    /// Every value the call stored was finite.
    Finite,
    /// Some stored value was NaN or infinite: the caller must look. The interpreter tests each
    /// stored value; the JIT multiplies them into a probe that starts at zero (NaN exactly
    /// when some factor was not finite).
    MaybeNonFinite,
}

impl Stores {
    /// `MaybeNonFinite` if either is.
    pub fn join(self, other: Stores) -> Stores {
        if self == Stores::Finite {
            other
        } else {
            Stores::MaybeNonFinite
        }
    }
}

/// Everything a kernel reads and writes in one call.
///
/// Element `e` reads `columns[c][e - base]` for [`crate::lower::ir::Index::Elem`],
/// `columns[c][pre[e]]` / `columns[c][post[e]]` for `Pre`/`Post` and `columns[c][0]` for
/// `Shared`. `base` lets the runtime hand a thread a sub-slice of `Elem`-indexed columns.
pub struct KernelData<'a> {
    /// One slice per entry of `Kernel::columns`, in order.
    pub columns: Vec<&'a mut [f64]>,
    /// Values for `Kernel::scalars`, in order.
    pub scalars: &'a [f64],
    /// Presynaptic neuron of each synapse (empty for neuron kernels).
    pub pre: &'a [u32],
    /// Postsynaptic neuron of each synapse (empty for neuron kernels).
    pub post: &'a [u32],
    /// Element list for `Domain::List` kernels.
    pub list: &'a [u32],
    /// First element (`Range`) or first list position (`List`).
    pub start: usize,
    /// One past the last element or list position.
    pub end: usize,
    /// Offset subtracted from `e` for `Elem`-indexed column access.
    pub base: usize,
    /// The clock's step counter (part of the random key).
    pub step: u64,
    /// The simulation seed (part of the random key).
    pub seed: u64,
    /// `EmitSpike` appends here.
    pub spikes: &'a mut Vec<u32>,
}

/// A backend failed to compile a kernel. This is never the user's fault: the IR was checked
/// before, so these are internal errors or unsupported hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendError {
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BackendError {}

/// A backend of the requested kind; falls back to the interpreter (and says so in the second
/// value) when the host has no Cranelift target.
pub fn make_backend(kind: BackendKind) -> (Box<dyn Backend>, Option<String>) {
    match kind {
        BackendKind::Interp => (Box::new(interp::Interpreter::new()), None),
        BackendKind::Jit => match jit::JitBackend::new() {
            Ok(b) => (Box::new(b), None),
            Err(e) => (
                Box::new(interp::Interpreter::new()),
                Some(format!(
                    "the JIT is not available on this host ({e}); using the interpreter"
                )),
            ),
        },
    }
}
