package org.marlopt.client.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.train.TrainConfig;

/** bench-updates' timing: each model-free trainer's own learning code runs on a filled buffer, counted in updates. */
class UpdateBenchmarkTest {

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    /**
     * A tiny seed run (8 copies x 5 steps a round): one call of the learning code at least, counted
     * as its updates (mappo 10 epochs x 2 minibatches, coma 4 x 2, matd3 one).
     */
    @ParameterizedTest
    @CsvSource({"mappo, 20", "coma, 8", "matd3, 1"})
    void eachTrainersLearningRunsOnItsFilledBufferAndCountsItsUpdates(String algorithm, int updatesPerCall) {
        TrainConfig config = TrainConfig.defaults().with(Map.of("algorithm", algorithm, "numEnvs", 8,
                "algo." + (algorithm.equals(Matd3.NAME) ? "batchSize" : "minibatches"), "2"));
        UpdateBenchmark.Result result;
        try (EnvSession session = Sessions.training(env.client, config)) {
            result = UpdateBenchmark.run(config, session, 0, 1e-3);
        }
        assertEquals(algorithm, result.algorithm());
        assertEquals(0, result.updates() % updatesPerCall, "whole calls of the learning code: " + result.updates());
        assertTrue(result.updates() >= updatesPerCall, "at least one call: " + result.updates());
        assertTrue(result.updatesPerSecond() > 0 && result.updatesPerCpuSecond() > 0
                && result.bestWindowUpdatesPerSecond() > 0, result.toString());
    }
}
