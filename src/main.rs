//! The `snnc` binary.
fn main() {}
