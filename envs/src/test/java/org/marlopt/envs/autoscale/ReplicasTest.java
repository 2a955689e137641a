package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplicasTest {

    @Test
    void aScaleUpBecomesReadyAfterTheStartupSteps() {
        Replicas replicas = new Replicas(1, 2);
        replicas.reset(new int[] {2});
        replicas.scaleTo(0, 5);
        assertEquals(2, replicas.ready(0));
        assertEquals(3, replicas.starting(0));
        replicas.advance();
        assertEquals(2, replicas.ready(0), "one step: still starting");
        replicas.advance();
        assertEquals(5, replicas.ready(0), "two steps: ready");
        assertEquals(0, replicas.starting(0));
    }

    @Test
    void aScaleDownStopsTheNewestStartingReplicasFirstThenReadyOnes() {
        Replicas replicas = new Replicas(1, 2);
        replicas.reset(new int[] {4});
        replicas.scaleTo(0, 6);
        replicas.advance();
        replicas.scaleTo(0, 8);
        assertEquals(4, replicas.starting(0));
        replicas.scaleTo(0, 7);
        replicas.advance();
        assertEquals(6, replicas.ready(0), "the older two became ready; one of the newer was stopped");
        assertEquals(1, replicas.starting(0));
        replicas.scaleTo(0, 3);
        assertEquals(3, replicas.ready(0));
        assertEquals(0, replicas.starting(0));
    }

    @Test
    void withoutStartupDelayAReplicaIsReadyAtOnce() {
        Replicas replicas = new Replicas(1, 0);
        replicas.reset(new int[] {1});
        replicas.scaleTo(0, 3);
        assertEquals(3, replicas.ready(0));
    }
}
