package org.marlopt.client.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Shuffled minibatches of a rollout's rows, from a caller's seeded random (so runs are reproducible). */
final class Minibatches {

    private Minibatches() {}

    /** A random permutation of {@code 0..rows-1} cut into {@code count} parts of near-equal size, as int64 index arrays. */
    static List<NDArray> shuffled(NDManager manager, int rows, int count, SplittableRandom random) {
        long[] permutation = new long[rows];
        for (int i = 0; i < rows; i++) {
            permutation[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        List<NDArray> parts = new ArrayList<>(count);
        for (int part = 0; part < count; part++) {
            int from = (int) ((long) rows * part / count);
            int to = (int) ((long) rows * (part + 1) / count);
            parts.add(manager.create(Arrays.copyOfRange(permutation, from, to)));
        }
        return parts;
    }
}
