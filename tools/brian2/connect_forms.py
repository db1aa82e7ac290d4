#!/usr/bin/env python3
"""Reference for ``Synapses.connect(...)``: which synapses every connect form creates.

Usage:
    /work/venv-brian2/bin/python tools/brian2/connect_forms.py \
        [--out tests/data/brian2/connect_forms.json] [--target cython|numpy] [--check-numpy]

For every case below a fresh scope is built (after ``from brian2 import *``):

    P = NeuronGroup(N_pre, 'x : 1')
    Q = NeuronGroup(N_post, 'x : 1')
    <extra setup lines of the case>
    S = Synapses(P, Q)
    S.connect(<connect_kwargs_source>)

The exact lines are stored in the JSON ("setup", a list of Python lines run in that order,
then ``S.connect(<connect_kwargs_source>)``).  Deterministic cases record ``i`` and ``j``
(``S.i[:]``, ``S.j[:]`` in synapse-index order); error cases record the exception type and its
message (``str(exc)``, exactly as Brian2 produces it).  Probabilistic cases record the number of
synapses over seeds 1..10 (``seed(k)`` is called before the groups are built).

``--check-numpy`` additionally runs every deterministic case under the numpy target and stores
whether it gives the same synapse list ("same_under_numpy").
"""
import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "tests", "data", "brian2", "connect_forms.json")

# (name, N_pre, N_post, extra setup lines, connect kwargs source)
DETERMINISTIC = [
    ("all_to_all_4x4", 4, 4, [], ""),
    ("all_to_all_5x3", 5, 3, [], ""),
    ("condition_true_literal", 4, 4, [], "True"),
    ("condition_false_string", 4, 4, [], "'False'"),
    ("cond_i_ne_j", 4, 4, [], "'i!=j'"),
    ("cond_i_lt_j", 4, 4, [], "'i<j'"),
    ("cond_abs_diff_le_1", 4, 4, [], "'abs(i-j)<=1'"),
    ("cond_keyword_i_ne_j_5x3", 5, 3, [], "condition='i!=j'"),
    ("cond_N_pre_N_post", 5, 3, [], "'i + j >= N_pre - 1 and j < N_post - 1'"),
    ("cond_x_pre_lt_x_post_from_i", 4, 4,
     ["P.x = 'i*1.0'", "Q.x = 'i*1.0'"], "'x_pre < x_post'"),
    ("cond_x_pre_lt_x_post_arrays_5x3", 5, 3,
     ["P.x = [3.0, 0.0, 2.0, 5.0, 1.0]", "Q.x = [1.5, 4.0, 0.5]"], "'x_pre < x_post'"),
    ("cond_x_pre_plus_j", 4, 4,
     ["P.x = [0.0, 2.0, 1.0, 3.0]"], "'x_pre + j == 3'"),
    ("cond_with_n2", 3, 3, [], "'i!=j', n=2"),
    ("cond_p1", 4, 4, [], "'i<j', p=1.0"),
    ("j_eq_i", 4, 4, [], "j='i'"),
    ("j_eq_i_n2", 4, 4, [], "j='i', n=2"),
    ("n_2_all", 2, 3, [], "n=2"),
    ("n_string_i", 4, 4, [], "n='i'"),
    ("n_string_i_with_cond", 4, 4, [], "'i==j', n='i'"),
    ("n_string_j_all", 3, 3, [], "n='j'"),
    ("j_expr_reverse", 4, 4, [], "j='N_post-1-i'"),
    ("j_eq_i_5x3_skip", 5, 3, [], "j='i', skip_if_invalid=True"),
    ("ij_scalars", 4, 4, [], "i=0, j=1"),
    ("ij_arrays", 4, 4, [], "i=[0, 1, 2], j=[3, 2, 1]"),
    ("ij_arrays_repeat_pair", 4, 4, [], "i=[1, 1, 0, 1], j=[2, 2, 3, 0]"),
    ("ij_broadcast_scalar_i", 4, 4, [], "i=2, j=[0, 1, 3]"),
    ("ij_broadcast_scalar_j", 4, 4, [], "i=[3, 0, 2], j=1"),
    ("ij_numpy_arrays", 5, 3, [], "i=arange(5), j=array([0, 1, 2, 0, 1])"),
    ("ij_arrays_n2", 4, 4, [], "i=[0, 3], j=[1, 2], n=2"),
    ("gen_range_i_plus_1", 4, 4, [], "j='k for k in range(i+1)'"),
    ("gen_neighbours_if", 4, 4, [], "j='i+(-1)**k for k in range(2) if i>0 and i<N_pre-1'"),
    ("gen_range_step_neg", 4, 4, [], "j='k for k in range(3, 0, -1)'"),
    ("gen_range_skip_invalid", 4, 4, [], "j='k for k in range(i-1, i+2)', skip_if_invalid=True"),
    ("gen_range_if_skip_invalid_8", 8, 8, [],
     "j='k for k in range(i-3, i+4) if i!=k', skip_if_invalid=True"),
    ("gen_over_i_all", 5, 3, [], "i='k for k in range(N_pre)'"),
    ("gen_over_i_if_k_le_j", 4, 4, [], "i='k for k in range(N_pre) if k<=j'"),
    ("gen_over_i_if_k_ne_j_5x3", 5, 3, [], "i='k for k in range(N_pre) if k != j'"),
    ("gen_over_i_expr_skip", 5, 3, [], "i='j+k for k in range(2)', skip_if_invalid=True"),
    ("i_eq_j_string", 5, 3, [], "i='j'"),
    ("gen_range_N_post_if", 4, 4, [], "j='k for k in range(N_post) if k != i'"),
    ("gen_with_n2", 3, 3, [], "j='k for k in range(i)', n=2"),
    ("gen_pre_variable", 4, 4, ["P.x = [2.0, 0.0, 3.0, 1.0]"],
     "j='k for k in range(int(x_pre))'"),
    ("gen_expr_2k", 3, 6, [], "j='2*k for k in range(3)'"),
    ("gen_expr_mod", 4, 4, [], "j='(i+k) % N_post for k in range(2)'"),
    ("gen_sample_size_all", 3, 4, [], "j='k for k in sample(N_post, size=N_post)'"),
    ("gen_sample_p1", 3, 4, [], "j='k for k in sample(N_post, p=1.0)'"),
    ("gen_sample_p0", 3, 4, [], "j='k for k in sample(N_post, p=0)'"),
    ("gen_empty_range", 4, 4, [], "j='k for k in range(i, i)'"),
    ("two_connect_calls_append", 4, 4, [], "'i==j'", ["S.connect(i=0, j=3)", "S.connect(j='i+1', skip_if_invalid=True)"]),
    # Explicit indices with p: each listed (broadcast) pair is kept with probability p, so
    # p=1 keeps all and p=0 none.
    ("ij_arrays_p1", 4, 4, [], "i=[0, 1, 2], j=[3, 2, 1], p=1.0"),
    ("ij_arrays_p1_int", 4, 4, [], "i=[0, 1, 2], j=[3, 2, 1], p=1"),
    ("ij_arrays_p0", 4, 4, [], "i=[0, 1, 2], j=[3, 2, 1], p=0"),
    ("ij_scalar_i_p1_n2", 4, 4, [], "i=2, j=[0, 1, 3], p=1.0, n=2"),
    ("ij_scalars_p1", 4, 4, [], "i=3, j=0, p=1.0"),
    # p outside [0, 1]: above 1 keeps every candidate, below 0 none (with explicit indices;
    # a condition with a negative p fails inside Brian2's sampling, see the error cases).
    ("ij_arrays_p_above_1", 4, 4, [], "i=[0, 1, 2], j=[3, 2, 1], p=1.5"),
    ("ij_arrays_p_negative", 4, 4, [], "i=[0, 1, 2], j=[3, 2, 1], p=-0.5"),
    ("cond_p_above_1", 4, 4, [], "'i!=j', p=1.5"),
    ("all_p_above_1", 3, 3, [], "p=2"),
    # Generator syntax accepts p only when it equals 1.
    ("gen_j_eq_i_p1", 4, 4, [], "j='i', p=1"),
    ("gen_range_p1", 4, 4, [], "j='k for k in range(i)', p=1.0"),
    # A generator without 'for' may have one 'if': 'EXPR if COND'.
    ("gen_if_without_for", 4, 4, [], "j='i if i<3'"),
    ("gen_if_without_for_expr", 4, 4, [], "j='N_post-1-i if i % 2 == 0'"),
    ("gen_over_i_if_without_for", 5, 3, [], "i='j+1 if j != 1'"),
    # N in a connect string is the number of synapses that exist before the call.
    ("cond_j_lt_N_second_call", 4, 4, [], "i=0, j=0", ["S.connect('j < N')"]),
    ("cond_i_lt_N_second_call", 4, 4, [], "i=[0, 1], j=[0, 0]", ["S.connect('i < N')"]),
    ("gen_range_N_second_call", 4, 4, [], "i=[0, 1], j=[0, 0]", ["S.connect(j='k for k in range(N)')"]),
    ("n_string_N_second_call", 4, 4, [], "i=[1, 2], j=[2, 3]", ["S.connect('i == j', n='N')"]),
]

ERRORS = [
    # Brian2 2.9.0 does not allow the range() bounds of an i='...' generator to depend on j
    # (the j-generator may use i in its bounds): ValueError 'Expression "j + 1" depends on
    # presynaptic index or iterator'.
    ("err_gen_over_i_range_depends_on_j", 4, 4, [], "i='k for k in range(j+1)'"),
    ("err_gen_over_i_range_start_j", 5, 3, [], "i='k for k in range(j, N_pre, 2)'"),
    ("err_j_out_of_range", 4, 4, [], "j='k for k in range(i-1, i+2)'"),
    ("err_i_scalar_with_j_generator", 4, 4, [], "i=0, j='k for k in range(N_post)'"),
    ("err_j_array_with_i_generator", 4, 4, [], "i='k for k in range(N_pre)', j=[0, 1]"),
    ("err_j_eq_i_5x3", 5, 3, [], "j='i'"),
    ("err_condition_plus_i", 4, 4, [], "'i!=j', i=0"),
    ("err_condition_plus_j", 4, 4, [], "'i!=j', j=[0, 1]"),
    ("err_only_i", 4, 4, [], "i=0"),
    ("err_only_i_array", 4, 4, [], "i=[0, 1]"),
    ("err_generator_in_condition", 4, 4, [], "'k for k in range(i+1)'"),
    ("err_p_with_generator", 4, 4, [], "j='k for k in range(i+1)', p=0.5"),
    ("err_ij_float", 4, 4, [], "i=[0.0, 1.0], j=[1, 2]"),
    ("err_ij_out_of_range", 4, 4, [], "i=[0, 4], j=[1, 2]"),
    ("err_ij_j_out_of_range", 4, 4, [], "i=[0, 1], j=[1, 7]"),
    ("err_skip_if_invalid_with_arrays", 4, 4, [], "i=[0, 1], j=[1, 7], skip_if_invalid=True"),
    ("err_ij_length_mismatch", 4, 4, [], "i=[0, 1, 2], j=[1, 2]"),
    ("err_condition_not_boolean", 4, 4, [], "'x_pre'"),
    ("err_sample_size_too_large", 3, 4, [], "j='k for k in sample(N_post, size=5)'"),
    ("err_sample_p_and_size", 3, 4, [], "j='k for k in sample(N_post, p=0.5, size=2)'"),
    ("err_unknown_name", 4, 4, [], "'i < undefined_name'"),
    ("err_negative_n", 4, 4, [], "n=-1"),
    # p must be a number with explicit indices (numpy cannot compare rand() with a string).
    ("err_ij_arrays_p_string", 4, 4, [], "i=[0, 1], j=[1, 2], p='0.5'"),
    ("err_ij_scalars_p_string", 4, 4, [], "i=0, j=1, p='0.5'"),
    ("err_ij_n_string", 4, 4, [], "i=[0, 1], j=[1, 2], n='2'"),
    ("err_skip_if_invalid_with_valid_arrays", 4, 4, [], "i=[0, 1], j=[1, 2], skip_if_invalid=True"),
    ("err_generator_p_string_one", 4, 4, [], "j='i', p='1'"),
    ("err_generator_p_half_no_for", 4, 4, [], "j='i', p=0.5"),
    ("err_generator_two_ifs", 4, 4, [], "j='i if i<3 if i>0'"),
    # N_incoming/N_outgoing are ill-defined while synapses are being created.
    ("err_condition_N_incoming", 4, 4, [], "'N_incoming < 2'"),
    ("err_p_N_outgoing", 4, 4, [], "p='1.0/N_outgoing'"),
    ("err_cond_p_negative", 4, 4, [], "'i!=j', p=-0.5"),
    ("err_generator_N_incoming", 4, 4, [], "j='k for k in range(N_incoming)'"),
]

# (name, N_pre, N_post, connect source, kind)
PROBABILISTIC = [
    ("p0.3_50x50", 50, 50, "p=0.3"),
    ("sample_p0.3_50x50", 50, 50, "j='k for k in sample(N_post, p=0.3)'"),
    ("cond_p0.3_50x50", 50, 50, "'i!=j', p=0.3"),
    ("sample_size3_50x50", 50, 50, "j='k for k in sample(N_post, size=3)'"),
    ("ij_arrays_p0.3_50x50", 50, 50, "i=arange(50), j=arange(50), p=0.3"),
    ("ij_scalar_i_p0.5_50x50", 50, 50, "i=7, j=arange(50), p=0.5"),
    ("ij_scalar_j_p0.3_n2_50x50", 50, 50, "i=arange(50), j=3, p=0.3, n=2"),
]
SEEDS = list(range(1, 11))


def setup_lines(n_pre, n_post, extra):
    return ([f"P = NeuronGroup({n_pre}, 'x : 1')", f"Q = NeuronGroup({n_post}, 'x : 1')"]
            + list(extra) + ["S = Synapses(P, Q)"])


def run_case(n_pre, n_post, extra, kwsrc, seed_value=None, after=()):
    import gc
    gc.collect()  # free the previous case's objects so that automatic names restart
    ns = {}
    exec("from brian2 import *", ns)
    ns["start_scope"]()
    if seed_value is not None:
        ns["seed"](seed_value)
    for line in setup_lines(n_pre, n_post, extra):
        exec(line, ns)
    exec(f"S.connect({kwsrc})", ns)
    for line in after:
        exec(line, ns)
    S = ns["S"]
    return np.asarray(S.i[:]).tolist(), np.asarray(S.j[:]).tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--target", default="cython")
    ap.add_argument("--check-numpy", action="store_true")
    args = ap.parse_args()
    import brian2
    from brian2 import prefs
    brian2.BrianLogger.log_level_error()
    prefs.codegen.target = args.target

    results = []
    for case in DETERMINISTIC:
        name, n_pre, n_post, extra, kwsrc = case[:5]
        after = case[5] if len(case) > 5 else []
        i, j = run_case(n_pre, n_post, extra, kwsrc, after=after)
        rec = {"name": name, "N_pre": n_pre, "N_post": n_post,
               "setup": setup_lines(n_pre, n_post, extra),
               "connect_kwargs_source": kwsrc, "i": i, "j": j}
        if after:
            rec["after"] = after
        if args.check_numpy:
            prefs.codegen.target = "numpy"
            i2, j2 = run_case(n_pre, n_post, extra, kwsrc, after=after)
            prefs.codegen.target = args.target
            rec["same_under_numpy"] = (i2 == i and j2 == j)
        print(name, len(i), "synapses", flush=True)
        results.append(rec)

    for name, n_pre, n_post, extra, kwsrc in ERRORS:
        rec = {"name": name, "N_pre": n_pre, "N_post": n_post,
               "setup": setup_lines(n_pre, n_post, extra),
               "connect_kwargs_source": kwsrc}
        try:
            i, j = run_case(n_pre, n_post, extra, kwsrc)
        except Exception as e:  # noqa: BLE001 - we record whatever Brian2 raises
            rec["error_type"] = type(e).__name__
            rec["error_message"] = str(e)
            cause = e.__cause__ or e.__context__
            if cause is not None:
                rec["error_cause_type"] = type(cause).__name__
                rec["error_cause_message"] = str(cause)
        else:
            rec["no_error"] = True
            rec["i"], rec["j"] = i, j
        if args.check_numpy:
            prefs.codegen.target = "numpy"
            try:
                run_case(n_pre, n_post, extra, kwsrc)
            except Exception as e:  # noqa: BLE001
                cause = e.__cause__ or e.__context__
                msg = str(cause) if cause is not None else str(e)
                ref = rec.get("error_cause_message", rec.get("error_message"))
                if msg != ref:
                    rec["numpy_target_message"] = msg
            prefs.codegen.target = args.target
        print(name, rec.get("error_type"), "|", rec.get("error_message", "")[:100], flush=True)
        results.append(rec)

    for name, n_pre, n_post, kwsrc in PROBABILISTIC:
        counts = []
        per_pre_ok = True
        for s in SEEDS:
            i, j = run_case(n_pre, n_post, [], kwsrc, seed_value=s)
            counts.append(len(i))
            if "size=3" in kwsrc:
                per_pre_ok &= bool(np.all(np.bincount(i, minlength=n_pre) == 3))
                per_pre_ok &= all(len(set(np.asarray(j)[np.asarray(i) == k])) == 3
                                  for k in range(n_pre))
        c = np.asarray(counts, float)
        rec = {"name": name, "N_pre": n_pre, "N_post": n_post,
               "setup": setup_lines(n_pre, n_post, []), "connect_kwargs_source": kwsrc,
               "probabilistic": True, "seeds": SEEDS, "counts": counts,
               "count_mean": float(c.mean()), "count_std_ddof1": float(c.std(ddof=1))}
        if "size=3" in kwsrc:
            rec["count_exact"] = 3 * n_pre
            rec["each_i_gets_3_distinct_j"] = per_pre_ok
        print(name, counts, flush=True)
        results.append(rec)

    meta = {
        "description": "Synapses.connect reference from Brian2 (see tools/brian2/connect_forms.py)",
        "brian2": brian2.__version__, "numpy": np.__version__,
        "python": sys.version.split()[0], "target": args.target,
        "command": "python tools/brian2/connect_forms.py --check-numpy",
        "n_cases": len(results),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    with open(os.path.splitext(args.out)[0] + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
