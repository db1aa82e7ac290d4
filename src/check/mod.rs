//! Stage 2: name resolution and dimension checking (placeholder; being written).
pub mod hir;
