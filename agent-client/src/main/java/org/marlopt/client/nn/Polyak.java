package org.marlopt.client.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Polyak averaging of a target network towards its online network. */
public final class Polyak {

    private Polyak() {}

    /** In place, for every array: target = (1 - tau) target + tau online. No gradient is recorded. */
    public static void update(NDList target, NDList online, float tau) {
        if (target.size() != online.size()) {
            throw new IllegalArgumentException("target has " + target.size() + " arrays, online " + online.size());
        }
        for (int i = 0; i < target.size(); i++) {
            try (NDArray detached = online.get(i).stopGradient(); NDArray scaled = detached.mul(tau)) {
                target.get(i).muli(1 - tau).addi(scaled);
            }
        }
    }
}
