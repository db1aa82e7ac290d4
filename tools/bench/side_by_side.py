#!/usr/bin/env python3
"""snnc against Brian2 on the same .eq files, measured in one session, interleaved.

Usage (from the repository root, after `cargo build --release`):
    /work/venv-brian2/bin/python tools/bench/side_by_side.py [--reps 3] \
        [--only seed5_noise_100000,cuba_4000] [--modes snnc_t1,snnc_t2,runtime,standalone_t1,standalone_t2] \
        [--jsonl OUT.jsonl]

For each case and repeat, every mode runs once as a separate process, in the order given, so
that machine load affects all modes alike.  Modes:

  snnc_t1 / snnc_t2   target/release/snnc run FILE --seed 1 --threads 1|2 --set ... --out TMP
                      (JIT backend; writes the monitor CSVs).  total = process wall time;
                      sim = "simulate" from snnc's summary line on stderr; compile likewise.
  snnc_fm_t1 / _t2    the same with --fast-math.
  runtime             Brian2 runtime (Cython) with a cache directory filled by one untimed
                      warm-up run per case (no Cython compilation in the timed runs).
  standalone_t1/_t2   Brian2 cpp_standalone with 1/2 OpenMP threads, fresh build directory each
                      time: total = whole process (code generation + make + binary);
                      sim = the binary's main loop (device._last_run_time); make_s reported.

Brian2 runs use run_ref.py --no-monitors (Brian2 records no spikes), snnc records and writes
all monitors, which only favours Brian2.  Each record carries os.getloadavg() before and after.
At the end a Markdown table of medians is printed.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SNNC = os.path.join(REPO, "target", "release", "snnc")
RUN_REF = "/work/shared/tools/brian2/run_ref.py"
B2_EXAMPLES = "/work/shared/examples-brian2"

CASES = {
    "cuba_4000": ("cuba.eq", ["N=4000"]),
    "seed5_noise_100000": ("seed5_noise.eq", ["N=100000"]),
    "cobahh_4000": ("cobahh.eq", ["N=4000"]),
    "cuba_32000": ("cuba.eq", ["N=32000"]),
}
SUMMARY = re.compile(r"compile ([0-9.]+) s, simulate ([0-9.]+) s, total ([0-9.]+) s")


def run_snnc(stem, overrides, threads, fast_math=False):
    tmp = tempfile.mkdtemp(prefix="snncbench_")
    cmd = [SNNC, "run", os.path.join(REPO, "examples", stem), "--seed", "1",
           "--threads", str(threads), "--out", os.path.join(tmp, "out")]
    if fast_math:
        cmd.append("--fast-math")
    for o in overrides:
        cmd += ["--set", o]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    shutil.rmtree(tmp, ignore_errors=True)
    rec = {"total_s": wall, "returncode": p.returncode,
           "command": " ".join(["snnc"] + cmd[1:]).replace(tmp, "TMP").replace(REPO + "/", "")}
    m = SUMMARY.search(p.stderr)
    if m:
        rec.update(compile_s=float(m.group(1)), sim_s=float(m.group(2)))
    else:
        rec["stderr_tail"] = p.stderr[-1000:]
    return rec


def run_brian2(stem, overrides, mode, cache_dir):
    tmp = tempfile.mkdtemp(prefix="b2bench_")
    cmd = [sys.executable, RUN_REF, os.path.join(B2_EXAMPLES, stem), os.path.join(tmp, "out"),
           "--seed", "1", "--no-monitors", "--quiet"]
    for o in overrides:
        cmd += ["--set", o]
    if mode == "runtime":
        cmd += ["--cache-dir", cache_dir]
    else:
        cmd += ["--standalone", "--threads", mode[-1], "--build-dir", os.path.join(tmp, "build")]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rec = {"total_s": wall, "returncode": p.returncode,
           "command": "python run_ref.py " + " ".join(cmd[2:]).replace(tmp, "TMP")
           .replace(cache_dir, "CACHE")}
    try:
        with open(os.path.join(tmp, "out", "meta.json")) as f:
            t = json.load(f)["timings"]
        rec["sim_s"] = t.get("main_loop_s")
        for k in ["make_s", "binary_s"]:
            if t.get(k) is not None:
                rec[k] = t[k]
    except (OSError, KeyError, ValueError):
        rec["stderr_tail"] = p.stderr[-1000:]
    shutil.rmtree(tmp, ignore_errors=True)
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="cuba_4000,seed5_noise_100000,cobahh_4000")
    ap.add_argument("--modes", default="snnc_t1,snnc_t2,runtime,standalone_t1,standalone_t2")
    ap.add_argument("--jsonl", default=None)
    args = ap.parse_args()
    modes = args.modes.split(",")
    out = open(args.jsonl, "a") if args.jsonl else None
    records = []
    for case in args.only.split(","):
        stem, overrides = CASES[case]
        cache_dir = tempfile.mkdtemp(prefix="b2cache_")
        if "runtime" in modes:
            run_brian2(stem, overrides, "runtime", cache_dir)  # fills the Cython cache
        for rep in range(args.reps):
            for mode in modes:
                load0 = os.getloadavg()
                if mode.startswith("snnc"):
                    rec = run_snnc(stem, overrides, int(mode[-1]), "_fm_" in mode)
                else:
                    rec = run_brian2(stem, overrides, mode, cache_dir)
                rec.update(case=case, mode=mode, rep=rep, load_start=load0[0],
                           load_end=os.getloadavg()[0])
                print(json.dumps(rec), file=sys.stderr, flush=True)
                if out:
                    print(json.dumps(rec), file=out, flush=True)
                records.append(rec)
        shutil.rmtree(cache_dir, ignore_errors=True)
    print(table(records))


def table(records):
    rows = ["| case | mode | total (s) | simulation (s) | make (s) | runs | load 1-min |",
            "|---|---|---|---|---|---|---|"]
    keys = []
    for r in records:
        if (r["case"], r["mode"]) not in keys:
            keys.append((r["case"], r["mode"]))
    for case, mode in keys:
        rs = [r for r in records if r["case"] == case and r["mode"] == mode]

        def med(k):
            xs = [r[k] for r in rs if r.get(k) is not None]
            return f"{statistics.median(xs):.3f}" if xs else "—"
        loads = [r["load_start"] for r in rs] + [r["load_end"] for r in rs]
        rows.append(f"| {case} | {mode} | {med('total_s')} | {med('sim_s')} | {med('make_s')} "
                    f"| {len(rs)} | {min(loads):.1f}–{max(loads):.1f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
