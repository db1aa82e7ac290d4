//! The reference interpreter over kernel IR (placeholder; being written).
use super::{Backend, BackendError, BackendKind, CompiledKernel};
use crate::lower::ir::Kernel;

/// The tree-walking interpreter.
#[derive(Default)]
pub struct Interpreter;

impl Interpreter {
    /// A new interpreter.
    pub fn new() -> Interpreter {
        Interpreter
    }
}

impl Backend for Interpreter {
    fn kind(&self) -> BackendKind {
        BackendKind::Interp
    }
    fn compile(&mut self, _kernel: &Kernel) -> Result<Box<dyn CompiledKernel>, BackendError> {
        Err(BackendError {
            message: "not yet".into(),
        })
    }
}
