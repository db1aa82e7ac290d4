#!/usr/bin/env python3
"""The constants of snnc's ziggurats (`src/runtime/rng.rs`): for n layers of equal area V
under f, the base layer's right edge R is the root of "the chain of layers closes at the
top": x[1] = R, x[i+1] = f^-1(V/x[i] + f(x[i])), and the top layer reaches height 1,
V/x[n-1] + f(x[n-1]) = 1, where V = R f(R) + the tail's integral. Bisection in float64.
`normal`: f(x) = exp(-x^2/2), tail by Python's math.erfc; for n = 256 this gives Marsaglia &
Tsang's (2000) R = 3.6541528853610088. `exponential`: f(x) = exp(-x), tail exp(-R); for
n = 256, their R = 7.69711747013104972. Also prints the share of draws that leave the fast
path (rectangle test failed).

    python3 tools/ziggurat.py 1024            # the normal table
    python3 tools/ziggurat.py 256 exponential
"""
import math
import sys


SHAPES = {
    # f, its inverse on (0, 1], the tail's integral beyond r, a bracket for R
    "normal": (
        lambda x: math.exp(-0.5 * x * x),
        lambda y: math.sqrt(-2 * math.log(y)),
        lambda r: math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2)),
        (2.0, 6.0),
    ),
    "exponential": (
        lambda x: math.exp(-x),
        lambda y: -math.log(y),
        lambda r: math.exp(-r),
        (4.0, 12.0),
    ),
}


def chain(r, n, shape):
    f, f_inv, tail, _ = SHAPES[shape]
    v = r * f(r) + tail(r)
    x = [v / f(r), r]
    for i in range(1, n - 1):
        a = v / x[i] + f(x[i])
        if a >= 1:
            return v, None, a
        x.append(f_inv(a))
    return v, x, v / x[n - 1] + f(x[n - 1])


def solve(n, shape):
    lo, hi = SHAPES[shape][3]
    for _ in range(200):
        mid = (lo + hi) / 2
        _, x, top = chain(mid, n, shape)
        # Too small an R makes V too large: the chain overshoots the top.
        if x is None or top > 1:
            lo = mid
        else:
            hi = mid
    return lo


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    shape = sys.argv[2] if len(sys.argv) > 2 else "normal"
    r = solve(n, shape)
    v, x, top = chain(r, n, shape)
    x.append(0.0)
    fast = sum(x[i + 1] / x[i] for i in range(n)) / n
    print(f"{shape}, layers {n}")
    print(f"R = {r!r}")
    print(f"V = {v!r}")
    print(f"top layer reaches {top!r}")
    beyond = math.erfc(r / math.sqrt(2)) if shape == "normal" else math.exp(-r)
    print(f"P(beyond R) = {beyond!r}")
    print(f"slow-path share {1 - fast:.6f}")


if __name__ == "__main__":
    main()
