package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-worked syncs of the HPA rule: target 80%, tolerance 0.1, 20-sync window unless said. */
class HpaRuleTest {

    private static HpaRule rule(int windowSyncs) {
        return new HpaRule(0.8, 0.1, windowSyncs, 1, 100);
    }

    /** 4 ready pods: 85% is a ratio of 1.0625, inside the band; 90% is 1.125: ceil(4 x 1.125) = 5. */
    @Test
    void keepsTheCountInsideTheToleranceBand() {
        assertEquals(4, rule(1).desiredReplicas(4, 4, 0, 0.85));
        assertEquals(4, rule(1).desiredReplicas(4, 4, 0, 0.73), "ratio 0.9125: inside");
        assertEquals(5, rule(1).desiredReplicas(4, 4, 0, 0.90));
        assertEquals(3, rule(1).desiredReplicas(4, 4, 0, 0.60), "ratio 0.75: ceil(3)");
    }

    /** 100% at target 10%: a ratio of 10 asks for 10 x current, capped at max(2 x current, current + 4). */
    @Test
    void limitsAScaleUpToDoubleOrFourMore() {
        HpaRule eager = new HpaRule(0.1, 0.1, 1, 1, 100);
        assertEquals(6, eager.desiredReplicas(2, 2, 0, 1.0), "max(4, 2 + 4)");
        assertEquals(20, eager.desiredReplicas(10, 10, 0, 1.0), "max(20, 14)");
        assertEquals(30, new HpaRule(0.1, 0.1, 1, 1, 30).desiredReplicas(20, 20, 0, 1.0), "max_replicas");
    }

    /**
     * Window of 3 syncs: the recommendations of the two syncs before bound a scale-down. Start at
     * 10 (recorded as the first sync's earlier recommendation); load falls to 40% (raw 5): held at
     * 10, 10, then 5 once the 10s have left the window.
     */
    @Test
    void theStabilisationWindowHoldsAScaleDown() {
        HpaRule hpa = rule(3);
        assertEquals(10, hpa.desiredReplicas(10, 10, 0, 0.4), "window {10 initial, 5}");
        assertEquals(10, hpa.desiredReplicas(10, 10, 0, 0.4), "window {10 initial, 5, 5}");
        assertEquals(5, hpa.desiredReplicas(10, 10, 0, 0.4), "window {5, 5, 5}");
        assertEquals(8, hpa.desiredReplicas(5, 5, 0, 1.2), "ratio 1.5: scale up at once, ceil(7.5)");
        assertEquals(8, hpa.desiredReplicas(8, 8, 0, 0.4), "window {5, 8, 4}: 8");
        assertEquals(8, hpa.desiredReplicas(8, 8, 0, 0.4), "window {8, 4, 4}");
        assertEquals(4, hpa.desiredReplicas(8, 8, 0, 0.4), "window {4, 4, 4}");
    }

    @Test
    void withoutAWindowAScaleDownIsImmediate() {
        assertEquals(5, rule(1).desiredReplicas(10, 10, 0, 0.4));
        assertEquals(1, rule(1).desiredReplicas(3, 3, 0, 0.0), "min_replicas");
    }

    /**
     * 2 ready at 100% plus 2 starting: ratio 1.25 over the ready pods; the starting ones count
     * as 0, so 1.25 x 2 / 4 = 0.625 < 1: keep 4. At 2 ready of 200%... utilisation is at most
     * 1, so with target 40%: ratio 2.5, rebalanced 1.25: ceil(1.25 x 4) = 5.
     */
    @Test
    void startingPodsCountAsIdleOnAScaleUp() {
        assertEquals(4, rule(1).desiredReplicas(4, 2, 2, 1.0));
        assertEquals(5, new HpaRule(0.4, 0.1, 1, 1, 100).desiredReplicas(4, 2, 2, 1.0));
        assertEquals(1, rule(1).desiredReplicas(4, 2, 2, 0.2), "scale-down ignores starting pods: ceil(0.25 x 2)");
    }
}
