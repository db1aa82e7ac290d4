#!/usr/bin/env bash
# Every measurement in BENCHMARKS.md, in one run: the criterion step and compile benches, then
# snnc against Brian2 on the same .eq files (side_by_side.py, all cases and modes, interleaved).
# Needs Brian2 2.9.0 in a venv (tools/brian2/README.md); pass its python as $PY.
# Usage: PY=/work/venv-brian2/bin/python bash tools/bench/run_all.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-/work/venv-brian2/bin/python}
REPS=${1:-3}
cargo build --release
echo "== load before: $(cat /proc/loadavg)"
cargo bench --bench step
python3 tools/bench/step_table.py
cargo bench --bench compile
python3 tools/bench/step_table.py compile
echo "== load: $(cat /proc/loadavg)"
"$PY" tools/bench/side_by_side.py --reps "$REPS" \
    --only cuba_4000,cobahh_4000,seed5_noise_100000,cuba_32000 \
    --modes snnc_t1,snnc_t2,snnc_fm_t1,snnc_fm_t2,runtime,standalone_t1,standalone_t2 \
    --jsonl tools/bench/results/side_by_side.jsonl
echo "== load after: $(cat /proc/loadavg)"
