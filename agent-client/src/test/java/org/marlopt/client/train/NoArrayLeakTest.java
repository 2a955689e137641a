package org.marlopt.client.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.algo.Algorithm;
import org.marlopt.client.algo.RewardGradientTrainer;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/** Every step's arrays live in a per-step manager: the base manager holds the same arrays throughout. */
class NoArrayLeakTest {

    /** The seed's linear actions, and least squares' bounded ones (the tanh squash) with messages. */
    @ParameterizedTest
    @ValueSource(strings = {"DistributedOptimization-v1", "DistributedLeastSquares-v1"})
    void openArraysStayConstantAcrossEpisodes(String envId) throws Exception {
        TrainConfig config = TrainConfig.defaults(envId).with(Map.of("numEnvs", 16, "episodes", 60, "trainHorizon", 3,
                "stepsPerEpisode", 3));
        List<Integer> openArrays = new ArrayList<>();
        try (EnvServerFixture env = new EnvServerFixture();
             NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, config)) {
            SessionSpec spec = session.spec();
            List<Model> models = AgentNetwork.newModels(spec.agentNames(), spec.maxObservationSize(),
                    config.hiddenSize(), spec.maxActionSize());
            AgentTeam.initialize(models, config.seed());
            try (Algorithm algorithm = new RewardGradientTrainer(
                    new Algorithm.Setup(config, session, manager, models, null, 0))) {
                for (int episode = 0; episode < config.episodes(); episode++) {
                    algorithm.trainRound(episode);
                    openArrays.add(countOpen(manager));
                }
            } finally {
                models.forEach(Model::close);
            }
        }
        assertEquals(60, openArrays.size());
        assertTrue(openArrays.get(0) > 0);
        assertEquals(1, openArrays.stream().distinct().count(), "open arrays per episode: " + openArrays);
    }

    /** Arrays open in the manager and, recursively, its sub-managers. */
    private static int countOpen(NDManager manager) {
        return manager.getManagedArrays().size();
    }
}
