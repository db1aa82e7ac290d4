#!/usr/bin/env python3
"""Statistics of a PoissonInput with a string weight under Brian2, over seeds.

Usage (from the repository root):
    /work/venv-brian2/bin/python tools/brian2/poisson_weight_stats.py \
        [--seeds 10] [--first-seed 1] [--out tests/data/brian2/poissoninput_weight_stats.json]

Runs tests/data/brian2/models/poissoninput_weight.eq with
/work/shared/tools/brian2/run_ref.py (runtime device, Cython target) as
``run_ref.py MODEL.eq TMP --seed k --quiet``. The model has 400 neurons, ``v : volt`` with no
dynamics, ``wscale = i % 4`` and ``weight='w0*wscale*(1 + t/(20*ms))'`` with w0 = 0.1 mV. For
each recorded time in TIMES (s) and each class c = 1, 2, 3 of neurons (i % 4 == c) it records
the mean over the class of ``v / (w0*c)`` (the weighted event count), and for class 0 the
largest |v| (the weight is 0 there, so it must stay 0). Per seed, plus mean and std (ddof=1)
across seeds, and the expectation 2.5 * sum_{n < t/dt} (1 + n*dt/20 ms).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
RUN_REF = "/work/shared/tools/brian2/run_ref.py"
MODEL = os.path.join(REPO, "tests", "data", "brian2", "models", "poissoninput_weight.eq")
W0 = 0.1e-3
DT = 1e-4
TIMES = [0.01, 0.0199]


def row_at(t_col, time):
    return int(np.argmin(np.abs(t_col - time)))


def one_seed(seed, tmp):
    out = os.path.join(tmp, f"s{seed}")
    subprocess.run([sys.executable, RUN_REF, MODEL, out, "--seed", str(seed), "--quiet"],
                   check=True)
    d = np.loadtxt(os.path.join(out, "M.v.csv"), delimiter=",", skiprows=1)
    t, v = d[:, 0], d[:, 1:]
    cls = np.arange(v.shape[1]) % 4
    rec = {"seed": seed}
    for time in TIMES:
        r = v[row_at(t, time)]
        key = f"{time:g}"
        rec[key] = {f"class{c}": float(np.mean(r[cls == c] / (W0 * c))) for c in (1, 2, 3)}
        rec[key]["class0_max_abs"] = float(np.max(np.abs(r[cls == 0])))
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "data", "brian2",
                                                  "poissoninput_weight_stats.json"))
    args = ap.parse_args()
    import brian2
    with tempfile.TemporaryDirectory() as tmp:
        per_seed = [one_seed(s, tmp) for s in
                    range(args.first_seed, args.first_seed + args.seeds)]
    summary = {}
    for time in TIMES:
        key = f"{time:g}"
        n_steps = int(round(time / DT))
        expected = 2.5 * sum(1 + n * DT / 0.02 for n in range(n_steps))
        summary[key] = {"expected": expected}
        for c in (1, 2, 3):
            xs = np.array([p[key][f"class{c}"] for p in per_seed])
            summary[key][f"class{c}"] = {"mean": float(xs.mean()), "std": float(xs.std(ddof=1))}
        summary[key]["class0_max_abs"] = max(p[key]["class0_max_abs"] for p in per_seed)
    doc = {
        "brian2": brian2.__version__,
        "numpy": np.__version__,
        "command": "tools/brian2/poisson_weight_stats.py "
                   f"--seeds {args.seeds} --first-seed {args.first_seed}",
        "model": "tests/data/brian2/models/poissoninput_weight.eq",
        "quantity": "mean over neurons with i % 4 == c of v / (w0*c), at each time (s)",
        "per_seed": per_seed,
        "summary": summary,
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
