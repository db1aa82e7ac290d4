#!/usr/bin/env python3
"""Markdown tables from criterion's results of `cargo bench --bench step` and `--bench compile`.

Usage (from the repository root, after the benches ran):
    python3 tools/bench/step_table.py            # ns per neuron-step (step bench)
    python3 tools/bench/step_table.py compile    # compile times (compile bench)

Reads target/criterion/<group>/<id>/<param>/new/estimates.json (the median of each benchmark).
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "criterion")


def median_ns(*parts):
    p = os.path.join(ROOT, *parts, "new", "estimates.json")
    try:
        with open(p) as f:
            return json.load(f)["median"]["point_estimate"]
    except OSError:
        return None


def step_table():
    rows = ["| kernel | N | interp | JIT 1 thread | JIT 2 threads | floor | JIT/floor | interp/JIT |",
            "|---|---|---|---|---|---|---|---|"]
    for group in ["lif_exact", "noisy_lif", "cobahh", "cobahh_fast_math"]:
        for n in [1000, 100000, 1000000]:
            v = {m: median_ns(group, m, str(n)) for m in
                 ["interp", "jit", "jit_2threads", "bandwidth_floor"]}
            per = {m: (x / n if x is not None else None) for m, x in v.items()}

            def f(x):
                return "—" if x is None else f"{x:.2f}"

            def ratio(a, b):
                return "—" if a is None or b is None or b == 0 else f"{a / b:.1f}x"
            rows.append(f"| {group} | {n:.0e} | {f(per['interp'])} | {f(per['jit'])} | "
                        f"{f(per['jit_2threads'])} | {f(per['bandwidth_floor'])} | "
                        f"{ratio(per['jit'], per['bandwidth_floor'])} | "
                        f"{ratio(per['interp'], per['jit'])} |")
    return "\n".join(rows)


def compile_table():
    models = ["seed1_decay", "seed2_threshold", "seed3_refractory", "seed4_random_init",
              "seed5_noise", "seed6_adaptive", "cuba", "cobahh"]
    rows = ["| model | front end, interp (ms) | front end + JIT (ms) | JIT share (ms) |",
            "|---|---|---|---|"]
    for m in models:
        a, b = median_ns("frontend", "interp", m), median_ns("frontend", "jit", m)
        if a is None or b is None:
            continue
        rows.append(f"| {m} | {a / 1e6:.2f} | {b / 1e6:.2f} | {(b - a) / 1e6:.2f} |")
    rows += ["", "| group kernel | JIT compile (ms) | interpreter validate (ms) |", "|---|---|---|"]
    for k in ["lif_exact", "noisy_lif", "cobahh"]:
        a, b = median_ns("jit_kernel", "jit", k), median_ns("jit_kernel", "interp_validate", k)
        if a is None:
            continue
        rows.append(f"| {k} | {a / 1e6:.3f} | {(b or 0) / 1e6:.4f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(compile_table() if sys.argv[1:] == ["compile"] else step_table())
