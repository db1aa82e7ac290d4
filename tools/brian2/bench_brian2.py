#!/usr/bin/env python3
"""Time Brian2 (runtime Cython and cpp_standalone) on the benchmark models. Record only.

Usage (from the repository root):
    /work/venv-brian2/bin/python tools/brian2/bench_brian2.py \
        [--out tests/data/brian2/brian2_timings.json] [--only cuba_4000,...] [--modes ...]

Cases: seed5_noise.eq with N=100000 (1 s), cuba.eq with N=4000 and N=32000, cobahh.eq with
N=4000 (all 1 s of simulated time, dt 0.1 ms, seed(1)).  Modes per case:

  runtime_cold   run_ref.py (runtime, Cython target) with an empty Cython cache directory, so
                 the wall time includes Cython compilation of every code object
  runtime_warm   the same again with the now-filled cache (no compilation)
  standalone_t1  run_ref.py --standalone --threads 1 (fresh build directory: full C++ build
                 with Brian2's default g++ flags)
  standalone_t2  the same with --threads 2 (OpenMP)

Every run is one ``run_ref.py ... --no-monitors --quiet`` process; ``wall_s`` is that process's
wall time (Python import, network construction, code generation, compilation, simulation);
``main_loop_s`` is Brian2's ``device._last_run_time`` (the simulation loop only; runtime: the
Network.run loop; standalone: measured inside the compiled binary), ``make_s`` / ``binary_s``
the standalone compile / binary run time.  ``loadavg_start`` / ``loadavg_end`` are
os.getloadavg() right before / after the process.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = "/work/shared"
RUN_REF = os.path.join(SHARED, "tools", "brian2", "run_ref.py")
EXAMPLES = os.path.join(SHARED, "examples-brian2")

CASES = [
    ("seed5_noise_100000", "seed5_noise.eq", ["N=100000"]),
    ("cuba_4000", "cuba.eq", ["N=4000"]),
    ("cuba_32000", "cuba.eq", ["N=32000"]),
    ("cobahh_4000", "cobahh.eq", ["N=4000"]),
]
MODES = ["runtime_cold", "runtime_warm", "standalone_t1", "standalone_t2"]


def machine_info():
    model = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout
        gxx = gxx.splitlines()[0]
    except OSError:
        gxx = None
    mem = None
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = line.split(":", 1)[1].strip()
    return {"nproc": os.cpu_count(), "cpu_model": model, "mem_total": mem,
            "platform": platform.platform(), "gxx": gxx}


def one(script, overrides, mode, cache_dir):
    tmp = tempfile.mkdtemp(prefix="b2bench_")
    cmd = [sys.executable, RUN_REF, script, os.path.join(tmp, "out"), "--seed", "1",
           "--no-monitors", "--quiet"]
    for o in overrides:
        cmd += ["--set", o]
    if mode.startswith("runtime"):
        cmd += ["--cache-dir", cache_dir]
    else:
        cmd += ["--standalone", "--threads", mode[-1]]
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    load1 = os.getloadavg()
    rec = {"mode": mode, "wall_s": wall, "loadavg_start": list(load0),
           "loadavg_end": list(load1), "returncode": proc.returncode,
           "command": " ".join(cmd[1:]).replace(tmp, "TMP").replace(cache_dir, "CACHE")}
    if proc.returncode != 0:
        rec["stderr_tail"] = proc.stderr[-2000:]
    else:
        with open(os.path.join(tmp, "out", "meta.json")) as f:
            meta = json.load(f)
        t = meta["timings"]
        for k in ["main_loop_s", "run_calls_s", "exec_s", "import_s", "build_s", "make_s",
                  "binary_s", "cpu_self_s", "cpu_children_s"]:
            if k in t:
                rec[k] = t[k]
        rec["num_spikes"] = {k: v.get("num_spikes") for k, v in meta["monitors"].items()
                             if v.get("type") == "SpikeMonitor"}
    shutil.rmtree(tmp, ignore_errors=True)
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "data", "brian2",
                                                  "brian2_timings.json"))
    ap.add_argument("--only", default=None)
    ap.add_argument("--modes", default=",".join(MODES))
    args = ap.parse_args()
    import brian2
    import numpy
    from brian2 import prefs
    try:
        import Cython
        cython_version = Cython.__version__
    except ImportError:
        cython_version = None
    cases = CASES if args.only is None else [c for c in CASES if c[0] in args.only.split(",")]
    results = []
    for name, stem, overrides in cases:
        cache_dir = tempfile.mkdtemp(prefix="b2cache_")
        for mode in args.modes.split(","):
            rec = one(os.path.join(EXAMPLES, stem), overrides, mode, cache_dir)
            rec.update({"case": name, "model": stem, "overrides": overrides})
            print(json.dumps(rec), flush=True)
            results.append(rec)
        shutil.rmtree(cache_dir, ignore_errors=True)
    doc = {
        "description": "Brian2 wall-clock timings (record only, not a reference; shared "
                       "2-core machine, see loadavg)",
        "machine": machine_info(),
        "brian2": brian2.__version__, "numpy": numpy.__version__, "cython": cython_version,
        "python": sys.version.split()[0],
        "gcc_flags": list(prefs.codegen.cpp.extra_compile_args_gcc),
        "simulated_s": 1.0, "dt_s": 1e-4, "seed": 1,
        "command": "python tools/brian2/bench_brian2.py",
        "fields": {
            "wall_s": "whole run_ref.py process (import, build, compile, simulate)",
            "main_loop_s": "device._last_run_time: the simulation loop only",
            "make_s": "standalone: C++ compilation (make)",
            "binary_s": "standalone: running the compiled binary",
            "runtime_cold": "empty Cython cache: includes Cython compilation",
            "runtime_warm": "same cache again: no compilation",
        },
        "results": results,
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
