package org.marlopt.client.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTest {

    @Test
    void aStackRunsEveryMemberOnSharedInputsAndAFrozenPassRunsOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // two members, 2 -> 3 (ReLU) -> 1: member 0 hidden weights x1 and x-1 (the latter cut by ReLU), member 1 x2
            NDList parameters = new NDList(
                    manager.create(new float[] {1, 0, -1, 0, 1, -1, 2, 0, 0, 0, 2, 0}, new Shape(2, 2, 3)),
                    manager.create(new float[] {0, 0, 0, 0, 0, 0}, new Shape(2, 1, 3)),
                    manager.create(new float[] {1, 1, 1, 1, 1, 1}, new Shape(2, 3, 1)),
                    manager.create(new float[] {0.5f, -1f}, new Shape(2, 1, 1)));
            try (Mlp mlp = Mlp.copyOf(manager, parameters, true)) {
                var inputs = manager.create(new float[] {1, 2}, new Shape(1, 1, 2));
                // member 0: relu(1, 2, -3) summed + 0.5 = 3.5; member 1: relu(2, 4, 0) summed - 1 = 5
                assertArrayEquals(new float[] {3.5f, 5f}, mlp.forward(inputs).toFloatArray(), 1e-6f);
                assertArrayEquals(new float[] {5f}, mlp.forwardFrozen(manager, inputs, 1).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void freshMembersAreDrawnFromTheRandomStream() {
        try (NDManager manager = NDManager.newBaseManager();
             Mlp first = Mlp.create(manager, 2, new int[] {4, 8, 3}, new SplittableRandom(3));
             Mlp second = Mlp.create(manager, 2, new int[] {4, 8, 3}, new SplittableRandom(3))) {
            assertEquals(new Shape(2, 4, 8), first.parameters().get(0).getShape());
            assertEquals(new Shape(2, 1, 3), first.parameters().get(3).getShape());
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(first.parameters().get(i).toFloatArray(), second.parameters().get(i).toFloatArray());
            }
            float bound = (float) (1 / Math.sqrt(4));
            for (float value : first.parameters().get(0).toFloatArray()) {
                assertEquals(0, value, bound);
            }
        }
    }
}
