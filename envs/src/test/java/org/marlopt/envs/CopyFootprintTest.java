package org.marlopt.envs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;

/**
 * Calibrates each environment's {@link ConfiguredEnv#copyFootprintBytes()}, which servers price
 * sessions by: the heap retained by N copies, reset and stepped with random actions, measured
 * after full GCs, must be covered by the estimate (plus the vector environment's own rows), and
 * the estimate must not exceed {@value #SANE_FACTOR} times what a copy takes.
 */
class CopyFootprintTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final int SANE_FACTOR = 8;
    /** Enough copies that the measured heap dwarfs GC noise. */
    private static final long MEASURED_BYTES = 12L * 1024 * 1024;
    private static final int STEPS = 20;

    record Case(String envId, Map<String, Object> params) {
        @Override
        public String toString() {
            return envId + params;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("DistributedOptimization-v1", Map.of()),
                new Case("ResourceShare-v1", Map.of()),
                new Case("DistributedLeastSquares-v1", Map.of()),
                new Case("DistributedLeastSquares-v1", Map.of("num_agents", 64, "rows", 256, "dim", 16)),
                new Case("MicroserviceAutoscale-v1", Map.of()),
                new Case("MicroserviceAutoscale-v1", Map.of("fidelity", "des")),
                new Case("LoadBalance-v1", Map.of()),
                new Case("LoadBalance-v1", Map.of("mode", "park")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theCopyFootprintEstimateCoversWhatCopiesHoldWithinASaneFactor(Case c) {
        ConfiguredEnv configured = REGISTRY.configure(c.envId(), c.params());
        long estimate = configured.copyFootprintBytes();
        int copies = (int) Math.max(8, Math.min(20_000, MEASURED_BYTES / estimate));
        long before = usedAfterGc();
        BatchedVectorEnv env = new BatchedVectorEnv(configured, new VectorOptions(copies, false, null));
        SplittableRandom random = new SplittableRandom(7);
        env.reset(1);
        for (int step = 0; step < STEPS; step++) {
            env.step(EnvChecks.randomActions(env, random, 1));
        }
        long perCopy = (usedAfterGc() - before) / copies;
        Reference.reachabilityFence(env);
        long rows = vectorRowBytes(configured.spec());
        String figures = c + ": estimate " + estimate + " B per copy, measured " + perCopy
                + " B per copy with the vector rows (at most " + rows + " B), " + copies + " copies";
        System.out.println(figures);
        assertTrue(perCopy <= estimate + rows, "the estimate is too low: " + figures);
        assertTrue(estimate <= SANE_FACTOR * Math.max(perCopy, 1), "the estimate is far too high: " + figures);
    }

    /** An upper bound of the vector environment's result rows per copy, which are not the copy's. */
    private static long vectorRowBytes(EnvSpec spec) {
        long floats = 2L * spec.sharedObservationSpace().size() + 2L * spec.stateSpace().size();
        for (AgentSpec agent : spec.agents()) {
            floats += 2L * agent.observationSpace().size() + 2L * agent.actionSpace().size() + 1;
        }
        long doubles = spec.info().stream().mapToLong(InfoSpec::size).sum();
        return 256 + Float.BYTES * floats + Double.BYTES * doubles;
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
