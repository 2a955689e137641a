package org.marlopt.client.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void defaultsAreTheSeedsSettings() {
        TrainConfig config = TrainConfig.defaults();
        assertEquals(1000, config.episodes());
        assertEquals(50, config.maxSteps());
        assertEquals(5.0, config.target());
        assertEquals(1e-3, config.learningRate());
        assertEquals(20, config.paramDim());
        assertEquals(4, config.numAgents());
    }

    @Test
    void overridesConvertTextAndKeepTheRest() {
        TrainConfig config = TrainConfig.defaults().with(Map.of("episodes", "20", "learningRate", "0.002",
                "lrSchedule", "constant", "evaluate", "false"));
        assertEquals(20, config.episodes());
        assertEquals(0.002, config.learningRate());
        assertEquals("constant", config.lrSchedule());
        assertEquals(false, config.evaluate());
        assertEquals(192, config.numEnvs());
    }

    @Test
    void roundTripsThroughItsMap() {
        TrainConfig config = TrainConfig.defaults().with(Map.of("seed", 7, "numEnvs", 32));
        assertEquals(config, TrainConfig.defaults().with(config.toMap()));
    }

    @Test
    void errorsNameTheSetting() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("epochs", "3")));
        assertTrue(unknown.getMessage().contains("'epochs'") && unknown.getMessage().contains("episodes"),
                unknown.getMessage());
        var malformed = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("numEnvs", "many")));
        assertTrue(malformed.getMessage().contains("numEnvs"), malformed.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("episodes", "0")));
        assertTrue(negative.getMessage().contains("episodes must be > 0"), negative.getMessage());
        var indivisible = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("paramDim", "21")));
        assertTrue(indivisible.getMessage().contains("divisible"), indivisible.getMessage());
    }

    @Test
    void evaluationSeedsMustNotOverlapTrainingSeeds() {
        var overlap = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("evalSeed", "1000")));
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());
    }

    @Test
    void learningRateDecaysLinearlyPerRound() {
        TrainConfig config = TrainConfig.defaults().with(Map.of("episodes", "4"));
        assertEquals(1e-3, config.learningRateAt(0), 1e-12);
        assertEquals(0.5e-3, config.learningRateAt(2), 1e-12);
        assertEquals(1e-3, config.with(Map.of("lrSchedule", "constant")).learningRateAt(3), 1e-12);
    }
}
