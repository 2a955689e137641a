package org.marlopt.client.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.client.train.TrainConfig;

/** The registry of training algorithms by name. */
class AlgorithmsTest {

    @Test
    void theRegistryResolvesRewardGradientAsTheDefault() {
        Algorithms.Entry entry = Algorithms.get("reward-gradient");
        assertEquals(RewardGradientTrainer.NAME, entry.name());
        assertTrue(entry.needsRewardGradient());
        assertEquals("reward-gradient", Algorithms.DEFAULT);
        assertEquals(List.of("reward-gradient", "matd3", "mappo", "coma"), List.copyOf(Algorithms.names()));
        assertEquals("reward-gradient", TrainConfig.defaults().algorithm());
        assertEquals("reward-gradient", TrainConfig.defaults("DistributedLeastSquares-v1").algorithm());
    }

    @Test
    void anUnknownNameFailsListingTheAvailableAlgorithms() {
        var e = assertThrows(IllegalArgumentException.class, () -> Algorithms.get("matd4"));
        assertEquals("unknown algorithm 'matd4'; available algorithms: reward-gradient, matd3, mappo, coma", e.getMessage());
        var fromConfig = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("algorithm", "matd4")));
        assertEquals(e.getMessage(), fromConfig.getMessage());
    }

    @Test
    void theConfigRecordsItsAlgorithmAndReadsItBack() {
        TrainConfig config = TrainConfig.resolve(Map.of("algorithm", " reward-gradient "));
        assertEquals("reward-gradient", config.algorithm());
        assertEquals("reward-gradient", config.toMap().get("algorithm"));
        assertEquals(config, TrainConfig.resolve(config.toMap()));
    }
}
