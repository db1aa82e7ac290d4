//! Fuzz `snnc::syntax::parse_expr`: no panic, spans inside the text, print/parse round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        snnc_fuzz::check_embedded(text, snnc::syntax::parse_expr);
    }
});
