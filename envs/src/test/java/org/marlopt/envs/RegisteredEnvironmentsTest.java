package org.marlopt.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.VectorEnv;

/** What ServiceLoader finds in this module, and that each environment runs with its defaults. */
class RegisteredEnvironmentsTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    @Test
    void serviceLoaderFindsEveryEnvironmentSortedById() {
        assertEquals(List.of("DistributedLeastSquares-v1", "DistributedOptimization-v1", "LoadBalance-v1",
                "MicroserviceAutoscale-v1", "ResourceShare-v1"),
                REGISTRY.ids());
    }

    @Test
    void everyEnvironmentRunsWithItsDefaultsInsideItsSpaces() {
        for (EnvDefinition definition : REGISTRY.definitions()) {
            assertTrue(definition.description().length() > 200, definition.id() + " needs a real description");
            VectorEnv env = REGISTRY.make(definition.id(), Map.of(), new VectorOptions(2, false, null));
            SplittableRandom random = new SplittableRandom(1);
            EnvChecks.assertWithinSpaces(env, env.reset(1));
            for (int step = 0; step < 5; step++) {
                EnvChecks.assertWithinSpaces(env, env.step(EnvChecks.randomActions(env, random, 1)));
            }
        }
    }
}
