package org.marlopt.client.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class PolyakTest {

    @Test
    void theTargetMovesTauOfTheWayTowardsTheOnlineNetworkInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray target = manager.create(new float[] {1f, 2f, -4f});
            NDArray online = manager.create(new float[] {3f, 6f, 4f});
            online.setRequiresGradient(true);
            Polyak.update(new NDList(target), new NDList(online), 0.25f);
            // 0.75 * target + 0.25 * online
            assertArrayEquals(new float[] {1.5f, 3f, -2f}, target.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {3f, 6f, 4f}, online.toFloatArray(), "the online network is untouched");
            assertFalse(target.hasGradient(), "no gradient reaches the target");
        }
    }
}
