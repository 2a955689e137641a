package org.marlopt.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DistributedOptimizationParamsTest {

    private static EnvArgumentException rejected(Map<String, Double> params) {
        return assertThrows(EnvArgumentException.class, () -> DistributedOptimizationParams.fromMap(params));
    }

    @Test
    void missingParametersTakeTheSeedDefaults() {
        assertEquals(DistributedOptimizationParams.defaults(), DistributedOptimizationParams.fromMap(Map.of()));
        assertEquals(new DistributedOptimizationParams(2, 20, 3.0, 50, 0.1),
                DistributedOptimizationParams.fromMap(Map.of("num_agents", 2.0, "target", 3.0)));
    }

    @Test
    void rejectsBadValuesNamingTheParameter() {
        EnvArgumentException divisible = rejected(Map.of("param_dim", 21.0));
        assertEquals("params.param_dim", divisible.field());
        assertTrue(divisible.getMessage().contains("divisible by num_agents"), divisible.getMessage());
        assertEquals("params.num_agents", rejected(Map.of("num_agents", 0.0)).field());
        assertEquals("params.param_dim", rejected(Map.of("param_dim", -4.0)).field());
        assertEquals("params.max_episode_steps", rejected(Map.of("max_episode_steps", 0.0)).field());
        assertEquals("params.target", rejected(Map.of("target", Double.NaN)).field());
        assertEquals("params.target", rejected(Map.of("target", Double.POSITIVE_INFINITY)).field());
        assertEquals("params.success_threshold", rejected(Map.of("success_threshold", 0.0)).field());
        assertEquals("params.num_agents", rejected(Map.of("num_agents", 2.5)).field());
        assertEquals("params.param_dim", rejected(Map.of("param_dim", 1e12)).field());
        EnvArgumentException unknown = rejected(Map.of("speed", 1.0));
        assertEquals("params.speed", unknown.field());
        assertTrue(unknown.getMessage().contains("num_agents"), "lists the accepted names");
    }

    @Test
    void registryRejectsUnknownIds() {
        EnvArgumentException unknown = assertThrows(EnvArgumentException.class,
                () -> EnvRegistry.standard().get("CartPole-v1"));
        assertEquals("env_id", unknown.field());
        assertTrue(unknown.getMessage().contains("DistributedOptimization-v1"));
    }
}
