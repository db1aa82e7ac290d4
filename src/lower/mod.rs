//! Stage 3b: checked models and integrator output become kernel IR.
pub mod ir;
pub mod print;
pub mod validate;
