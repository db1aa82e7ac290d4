//! `--fast-math` against Brian2: the Hodgkin-Huxley model `hh_traub` (exp and exprel per
//! neuron, exponential Euler; tests/data/brian2/models/, Brian2 2.9.0 output in ../ref/) matches
//! Brian2 with libm (the default) and with the inline polynomial, on both backends, with the
//! same tolerance as every deterministic model: traces to `1e-12 + 1e-9*|b|`, spike steps
//! exactly. The fast functions are within 3 units in the last place of libm
//! (`backend::fastmath`'s tests), far inside that tolerance. That the option takes effect at
//! all is checked too: some recorded value must differ in its bits from the default run.

#[macro_use]
mod support;

use snnc::backend::BackendKind;
use support::*;

fn hh_traub_matches_brian2(b: BackendKind) {
    assert_brian2_model("hh_traub", b)
}

fn hh_traub_fast_math_matches_brian2(b: BackendKind) {
    let path = root().join("tests/data/brian2/models/hh_traub.eq");
    let fast = run_file_with_math(&path, b, Some(1), &[], true);
    assert_matches_reference(
        &fast,
        &root().join("tests/data/brian2/ref/hh_traub"),
        1e-4,
        "hh_traub with fast math",
    );
    let exact = run_file_with_math(&path, b, Some(1), &[], false);
    let v = |out: &[snnc::output::OutputFile]| file(out, "M.v.csv").rows;
    assert_ne!(
        v(&fast),
        v(&exact),
        "fast math changed no value: was it applied?"
    );
}

per_backend!(hh_traub_matches_brian2, hh_traub_fast_math_matches_brian2);

/// Both backends give bit-identical results with fast math, as without.
#[test]
fn fast_math_backends_agree_bit_for_bit() {
    let path = root().join("tests/data/brian2/models/hh_traub.eq");
    let run = |b| run_file_with_math(&path, b, Some(1), &[], true);
    let (a, b) = (run(BackendKind::Interp), run(BackendKind::Jit));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name);
        assert!(
            x.contents == y.contents,
            "{} differs between backends",
            x.name
        );
    }
}
