package org.marlopt.client.algo;

/** Range checks of hyperparameters, naming the {@code algo.} setting to change. */
final class Checks {

    private Checks() {}

    static void positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("algo." + name + " must be a positive number, got " + value);
        }
    }

    static void notNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("algo." + name + " must be >= 0, got " + value);
        }
    }

    static void unitInterval(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("algo." + name + " must be in [0, 1], got " + value);
        }
    }
}
