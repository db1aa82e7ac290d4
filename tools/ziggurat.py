#!/usr/bin/env python3
"""The constants of snnc's normal ziggurat (`src/runtime/rng.rs`): for n layers of equal
area V under f(x) = exp(-x^2/2), the base layer's right edge R is the root of "the chain of
layers closes at the top": x[1] = R, x[i+1] = sqrt(-2 ln(V/x[i] + f(x[i]))), and the top
layer reaches height 1, V/x[n-1] + f(x[n-1]) = 1, where V = R f(R) + the tail's integral.
Bisection in float64 (Python's math.erfc for the tail). For n = 256 this gives Marsaglia &
Tsang's (2000) R = 3.6541528853610088. Also prints the share of draws that leave the fast
path (rectangle test failed).

    python3 tools/ziggurat.py 1024
"""
import math
import sys


def f(x):
    return math.exp(-0.5 * x * x)


def chain(r, n):
    v = r * f(r) + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2))
    x = [v / f(r), r]
    for i in range(1, n - 1):
        a = v / x[i] + f(x[i])
        if a >= 1:
            return v, None, a
        x.append(math.sqrt(-2 * math.log(a)))
    return v, x, v / x[n - 1] + f(x[n - 1])


def solve(n):
    lo, hi = 2.0, 6.0
    for _ in range(200):
        mid = (lo + hi) / 2
        _, x, top = chain(mid, n)
        # Too small an R makes V too large: the chain overshoots the top.
        if x is None or top > 1:
            lo = mid
        else:
            hi = mid
    return lo


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    r = solve(n)
    v, x, top = chain(r, n)
    x.append(0.0)
    fast = sum(x[i + 1] / x[i] for i in range(n)) / n
    print(f"layers {n}")
    print(f"R = {r!r}")
    print(f"V = {v!r}")
    print(f"top layer reaches {top!r}")
    print(f"P(|x| > R) = {math.erfc(r / math.sqrt(2))!r}")
    print(f"slow-path share {1 - fast:.6f}")


if __name__ == "__main__":
    main()
