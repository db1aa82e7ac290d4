#!/usr/bin/env python3
"""Network statistics of the CUBA and COBAHH benchmarks under Brian2, over seeds.

Usage (from the repository root):
    /work/venv-brian2/bin/python tools/brian2/net_stats.py \
        [--models cuba,cobahh] [--N 4000] [--seeds 10] [--first-seed 1] \
        [--examples /work/shared/examples-brian2] [--out tests/data/brian2]

Each model is run with /work/shared/tools/brian2/run_ref.py (Brian2 runtime device, Cython
target) as ``run_ref.py MODEL.eq TMP --seed k --set N=<N> --quiet``, i.e. ``seed(k)`` is
called before the script body is exec'd (exactly like ref_stats.py).  From the SpikeMonitor
``s_mon`` of each run it records:

  total_spikes        number of spikes in the whole run
  mean_rate_hz        total_spikes / N / duration
  rate_std_hz         standard deviation across the N neurons of the per-neuron rate
                      (spike count / duration), population std (ddof=0)
  frac_active         fraction of neurons with at least one spike

and writes OUT/<model>_stats.json with the per-seed values, mean and std (ddof=1) across
seeds of each quantity, versions and the exact command.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = "/work/shared"
RUN_REF = os.path.join(SHARED, "tools", "brian2", "run_ref.py")
QUANTITIES = ["total_spikes", "mean_rate_hz", "rate_std_hz", "frac_active"]


def one_seed(script, n, seed, tmp):
    out = os.path.join(tmp, f"s{seed}")
    cmd = [sys.executable, RUN_REF, script, out, "--seed", str(seed),
           "--set", f"N={n}", "--quiet"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - t0
    with open(os.path.join(out, "meta.json")) as f:
        meta = json.load(f)
    d = np.loadtxt(os.path.join(out, "s_mon.spikes.csv"), delimiter=",", skiprows=1, ndmin=2)
    idx = d[:, 0].astype(int) if d.size else np.zeros(0, int)
    duration = meta["t_end_s"]
    counts = np.bincount(idx, minlength=n)
    rates = counts / duration
    rec = {
        "seed": seed,
        "total_spikes": int(len(idx)),
        "mean_rate_hz": float(len(idx) / n / duration),
        "rate_std_hz": float(rates.std(ddof=0)),
        "frac_active": float(np.mean(counts > 0)),
        "wall_s": wall,
        "main_loop_s": meta["timings"].get("main_loop_s"),
    }
    return rec, meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="cuba,cobahh")
    ap.add_argument("--N", type=int, default=4000)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--examples", default=os.path.join(SHARED, "examples-brian2"))
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "data", "brian2"))
    args = ap.parse_args()
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    os.makedirs(args.out, exist_ok=True)
    for model in args.models.split(","):
        script = os.path.join(args.examples, model + ".eq")
        per_seed, meta = [], None
        with tempfile.TemporaryDirectory() as tmp:
            for s in seeds:
                rec, meta = one_seed(script, args.N, s, tmp)
                per_seed.append(rec)
                print(model, json.dumps(rec), flush=True)
        summary = {}
        for q in QUANTITIES:
            v = np.array([r[q] for r in per_seed], float)
            summary[q] = {"mean": float(v.mean()), "std_ddof1": float(v.std(ddof=1)),
                          "min": float(v.min()), "max": float(v.max())}
        doc = {
            "model": model + ".eq",
            "model_source": os.path.join(args.examples, model + ".eq"),
            "N": args.N,
            "duration_s": meta["t_end_s"],
            "dt_s": meta["dt_s"],
            "seeds": seeds,
            "n_seeds": len(seeds),
            "brian2": meta["brian2"],
            "numpy": meta["numpy"],
            "python": meta["python"],
            "target": meta["target"],
            "definitions": {
                "total_spikes": "spikes recorded by s_mon over the whole run",
                "mean_rate_hz": "total_spikes / N / duration",
                "rate_std_hz": "std (ddof=0) across the N neurons of count_i / duration",
                "frac_active": "fraction of neurons with >= 1 spike",
                "wall_s/main_loop_s": "incidental timings of that run (not a reference)",
            },
            "per_seed": per_seed,
            "summary": summary,
            "command": ("python tools/brian2/net_stats.py --models %s --N %d --seeds %d "
                        "--first-seed %d" % (model, args.N, args.seeds, args.first_seed)),
            "per_seed_command": ("python /work/shared/tools/brian2/run_ref.py "
                                 "/work/shared/examples-brian2/%s.eq OUT --seed K --set N=%d "
                                 "--quiet" % (model, args.N)),
        }
        with open(os.path.join(args.out, f"{model}_stats.json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
