//! A compile cache shared by several networks: a [`Backend`] wrapper that compiles each
//! distinct kernel once and hands out the same compiled code to every network that asks for an
//! identical kernel.
//!
//! Script constants are folded into kernels, so a parameter sweep produces different kernels
//! only where a swept value reaches the kernel text; everything else (for example a value used
//! only to initialise a variable) is compiled once for the whole sweep. Kernels are keyed by
//! their printed form and confirmed equal by `PartialEq` on the IR, so a hit is exact.

use super::{Backend, BackendError, BackendKind, CompiledKernel, KernelData, Stores};
use crate::lower::ir::Kernel;
use crate::lower::print::print_kernel;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Compiled kernels shared between backends (and threads). Cloning shares the cache.
#[derive(Clone, Default)]
pub struct CompileCache {
    inner: Arc<Mutex<CacheState>>,
}

/// Kernels with the same printed form (normally one), each with its compiled code.
type Bucket = Vec<(Kernel, Arc<dyn CompiledKernel>)>;

#[derive(Default)]
struct CacheState {
    kernels: HashMap<(BackendKind, String), Bucket>,
    compiled: usize,
    reused: usize,
}

impl std::fmt::Debug for CompileCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (c, r) = self.counts();
        write!(f, "CompileCache {{ compiled: {c}, reused: {r} }}")
    }
}

impl CompileCache {
    /// An empty cache.
    pub fn new() -> CompileCache {
        CompileCache::default()
    }

    /// (kernels compiled, compilations saved by reuse) so far.
    pub fn counts(&self) -> (usize, usize) {
        let s = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (s.compiled, s.reused)
    }
}

/// A backend that looks kernels up in a [`CompileCache`] before compiling them with the
/// wrapped backend.
pub struct CachingBackend {
    inner: Box<dyn Backend>,
    cache: CompileCache,
}

/// Wraps `inner` so that it compiles through `cache`.
pub fn with_cache(inner: Box<dyn Backend>, cache: CompileCache) -> Box<dyn Backend> {
    Box::new(CachingBackend { inner, cache })
}

/// Hands out a shared compiled kernel.
struct Shared(Arc<dyn CompiledKernel>);

impl CompiledKernel for Shared {
    fn run(&self, data: &mut KernelData<'_>) -> Stores {
        self.0.run(data)
    }
}

impl Backend for CachingBackend {
    fn kind(&self) -> BackendKind {
        self.inner.kind()
    }

    fn compile(&mut self, kernel: &Kernel) -> Result<Box<dyn CompiledKernel>, BackendError> {
        let key = (self.inner.kind(), print_kernel(kernel));
        // The lock is held while compiling: two runs of a parallel sweep that need the same
        // kernel at the same moment must not both compile it. Compiling is short next to
        // simulating, so serialising it costs little.
        let mut s = self.cache.inner.lock().unwrap_or_else(|p| p.into_inner());
        let hit = s
            .kernels
            .get(&key)
            .and_then(|v| v.iter().find(|(k, _)| k == kernel))
            .map(|(_, c)| c.clone());
        if let Some(c) = hit {
            s.reused += 1;
            return Ok(Box::new(Shared(c)));
        }
        let compiled: Arc<dyn CompiledKernel> = Arc::from(self.inner.compile(kernel)?);
        s.compiled += 1;
        s.kernels
            .entry(key)
            .or_default()
            .push((kernel.clone(), compiled.clone()));
        Ok(Box::new(Shared(compiled)))
    }
}
