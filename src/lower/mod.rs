//! Stage 3b: checked models and integrator output become kernel IR.
//!
//! [`ir`] defines the IR both backends execute; [`build`] turns HIR expressions and statements
//! into kernels; [`hoist`] moves loop invariants into each kernel's prologue and [`cse`]
//! computes repeated subexpressions of the body once. Nothing here sees the AST or knows which
//! backend will run the result.

pub mod build;
pub mod cse;
pub mod hoist;
pub mod ir;
pub mod print;
pub mod validate;
