//! Fuzz `snnc check` on arbitrary bytes: the bytes are read as lossy UTF-8 (as a file with bad
//! bytes would be after the CLI's message), then the script is evaluated in dry-run mode with
//! a small memory limit. Properties: no panic, no unbounded allocation, every error has at
//! least one diagnostic, and every diagnostic span lies inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use snnc::script::{run_script, ScriptOptions};
use snnc::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let len = text.len();
    let file = SourceFile::new("fuzz.eq", text);
    let opts = ScriptOptions {
        dry_run: true,
        threads: 1,
        seed: Some(0),
        max_memory: Some(64 << 20),
        ..ScriptOptions::default()
    };
    if let Err(e) = run_script(&file, &opts) {
        assert!(!e.diagnostics.is_empty(), "an error without diagnostics");
        for d in &e.diagnostics {
            if let Some(s) = d.span {
                assert!(
                    s.start <= s.end && (s.end as usize) <= len,
                    "span {}..{} outside 0..{len}: {}",
                    s.start,
                    s.end,
                    d.message
                );
            }
            // Rendering must not panic either (it slices the file at the span).
            let _ = d.render(&file);
        }
    }
});
