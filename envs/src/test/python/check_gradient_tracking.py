#!/usr/bin/env python3
"""Independent check of the Java gradient-tracking policy: textbook DIGing in numpy, iterate for iterate.

Usage: /usr/bin/python3 check_gradient_tracking.py FIXTURE.json

The fixture (written by GradientTrackingNumpyCheckTest) holds a DistributedLeastSquares-v1 problem
(A: num_agents x rows x dim, b: num_agents x rows, agent-major), the mixing matrix W built from the
environment's edges and self-weights, the step size alpha, and "trajectory": the estimates x_i^k
read from the environment's state after env step k = 0..K while the Java policy drove it.

This script recomputes the iteration in float64 in the matrix form of Nedic, Olshevsky, Shi (2017)
and Qu, Li (2018), with rows of X and Y the agents' estimates and trackers:

    X^{k+1} = W X^k - alpha Y^k
    Y^{k+1} = W Y^k + G(X^{k+1}) - G(X^k),    Y^0 = G(X^0)
    G(X)_i  = grad f_i(x_i) = 2 A_i^T (A_i x_i - b_i)

and compares X^k with the trajectory for every k. The Java run passes values through float32
(observations, messages, actions, state): about 7 significant digits (machine epsilon 1.2e-7).
A stable iteration does not accumulate that rounding, so an iterate matches when every entry is
within TOLERANCE * (1 + max |X^k|), a few float32 epsilons, far below what one iteration changes.
Prints 'N passed, M failed' and exits 1 when M > 0.
"""
import json
import sys

import numpy as np

TOLERANCE = 1e-6


def local_gradients(A, b, X):
    residuals = np.einsum("imd,id->im", A, X) - b
    return 2.0 * np.einsum("imd,im->id", A, residuals)


def diging(A, b, W, alpha, X0, steps):
    X = X0.copy()
    Y = local_gradients(A, b, X)
    iterates = [X.copy()]
    for _ in range(steps):
        X_next = W @ X - alpha * Y
        Y = W @ Y + local_gradients(A, b, X_next) - local_gradients(A, b, X)
        X = X_next
        iterates.append(X.copy())
    return iterates


def main(path):
    with open(path) as file:
        fixture = json.load(file)
    n, m, d = fixture["num_agents"], fixture["rows"], fixture["dim"]
    A = np.array(fixture["A"], dtype=np.float64).reshape(n, m, d)
    b = np.array(fixture["b"], dtype=np.float64).reshape(n, m)
    W = np.array(fixture["W"], dtype=np.float64)
    trajectory = [np.array(x, dtype=np.float64).reshape(n, d) for x in fixture["trajectory"]]
    X0 = np.array(fixture["x0"], dtype=np.float64).reshape(n, d)

    passed = failed = 0
    # DIGing needs a doubly stochastic W; the weights come from the Java spec, so check them too
    if np.allclose(W.sum(axis=0), 1.0) and np.allclose(W.sum(axis=1), 1.0):
        passed += 1
    else:
        failed += 1
        print("W is not doubly stochastic: row sums", W.sum(axis=1), "column sums", W.sum(axis=0))

    expected = diging(A, b, W, fixture["alpha"], X0, len(trajectory) - 1)
    worst = 0.0
    for k, (actual, want) in enumerate(zip(trajectory, expected)):
        relative = np.abs(actual - want).max() / (1.0 + np.abs(want).max())
        worst = max(worst, relative)
        if relative <= TOLERANCE:
            passed += 1
        else:
            failed += 1
            print(f"iterate {k}: max |x_java - x_numpy| / (1 + max |x|) = {relative:.3e} > {TOLERANCE:.0e}")
    print(f"largest deviation {worst:.2e} of {len(trajectory)} iterates (tolerance {TOLERANCE:.0e})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_gradient_tracking.py FIXTURE.json")
    sys.exit(main(sys.argv[1]))
