//! The Cranelift JIT backend (placeholder; being written).
use super::{Backend, BackendError, BackendKind, CompiledKernel};
use crate::lower::ir::Kernel;

/// The JIT.
pub struct JitBackend;

impl JitBackend {
    /// A JIT for the host.
    pub fn new() -> Result<JitBackend, BackendError> {
        Ok(JitBackend)
    }
}

impl Backend for JitBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Jit
    }
    fn compile(&mut self, _kernel: &Kernel) -> Result<Box<dyn CompiledKernel>, BackendError> {
        Err(BackendError {
            message: "not yet".into(),
        })
    }
}
