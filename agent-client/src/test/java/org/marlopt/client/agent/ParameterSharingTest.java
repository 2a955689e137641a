package org.marlopt.client.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.train.TrainConfig;

/** Parameter sharing: one network for all agents, told apart by their id, through training, checkpoint and evaluation. */
class ParameterSharingTest {

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    /** After training, every agent's saved network is the same network, taking the observation plus a 4-way id. */
    @ParameterizedTest
    @ValueSource(strings = {"reward-gradient", "matd3", "mappo", "coma"})
    void everyTrainerKeepsTheAgentsNetworksTied(String algorithm, @TempDir Path out) throws IOException {
        TrainConfig config = TrainConfig.defaults().with(Map.of("algorithm", algorithm, "parameterSharing", true,
                "numEnvs", 8, "episodes", 3, "evalEpisodes", 20)).with(smallBatches(algorithm));
        TrainJob.Outcome outcome = new TrainJob(env.client, null, System.out, false).train(config, out, "shared");
        assertTrue(outcome.evaluation().meanReturn() < 0, "the tied agents were evaluated");
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(out.resolve(TrainJob.CHECKPOINT_DIR), manager);
            try {
                List<Model> models = state.models();
                assertEquals(20 + 4, AgentNetwork.sizes(models.get(0))[0], "the observation, then the agent id");
                List<NDArray> first = AgentNetwork.parameterArrays(models.get(0));
                for (Model model : models.subList(1, models.size())) {
                    List<NDArray> arrays = AgentNetwork.parameterArrays(model);
                    for (int i = 0; i < arrays.size(); i++) {
                        assertArrayEquals(first.get(i).toFloatArray(), arrays.get(i).toFloatArray(),
                                model.getName() + " array " + i);
                    }
                }
            } finally {
                state.models().forEach(Model::close);
            }
        }
    }

    /** The shared network still acts differently per agent: its id is part of the input. */
    @Test
    void theAgentIdMakesTheSharedNetworkActDifferentlyPerAgent(@TempDir Path out) throws IOException {
        TrainConfig config = TrainConfig.defaults().with(Map.of("parameterSharing", true, "numEnvs", 8,
                "episodes", 1, "evaluate", false));
        new TrainJob(env.client, null, System.out, false).train(config, out, "shared");
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(out.resolve(TrainJob.CHECKPOINT_DIR), manager);
            try (AgentTeam team = AgentTeam.fromModels(manager, state.models())) {
                NDArray sameObservation = manager.zeros(new Shape(4, 1, 20));
                NDArray ids = manager.eye(4).expandDims(1);
                float[] actions = team.forward(NDArrays.concat(new NDList(sameObservation, ids), 2)).toFloatArray();
                assertNotEquals(actions[0], actions[5], "agents 0 and 1 on the same observation");
            } finally {
                state.models().forEach(Model::close);
            }
        }
    }

    @Test
    void agentsOfUnequalSpacesAreRefusedWithTheFix(@TempDir Path out) {
        TrainConfig config = TrainConfig.defaults("ResourceShare-v1").with(Map.of("parameterSharing", true,
                "param.topology", "erdos_renyi", "episodes", 1));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new TrainJob(env.client, null, System.out, false).train(config, out, "shared"));
        assertTrue(refused.getMessage().contains("set parameterSharing=false"), refused.getMessage());
    }

    /** Settings that make every trainer update its actors within 3 rounds of 8 copies x 5 steps. */
    private static Map<String, String> smallBatches(String algorithm) {
        return switch (algorithm) {
            case "matd3" -> Map.of("algo.batchSize", "4", "algo.learningStarts", "16");
            case "mappo", "coma" -> Map.of("algo.minibatches", "4");
            default -> Map.of();
        };
    }
}
