//! Fuzz the backends against each other: random well-typed kernels built from the bytes must
//! give the same columns (bit for bit, any NaN equal) and spikes on the interpreter and on the
//! JIT, vectorised and scalar.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    snnc_fuzz::kernels::check_agree(data);
});
