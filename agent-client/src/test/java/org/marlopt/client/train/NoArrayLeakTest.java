package org.marlopt.client.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.algo.Algorithm;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.algo.Matd3;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/** Every step's arrays live in a per-step manager: the base manager holds the same arrays throughout. */
class NoArrayLeakTest {

    /**
     * The seed's linear actions, and least squares' bounded ones (the tanh squash) with messages;
     * matd3 learning from its second round on (every update, and every other one an actor update);
     * mappo and coma learning from every round's rollout, and saving their state (a checkpoint) every round.
     */
    @ParameterizedTest
    @CsvSource({"reward-gradient, DistributedOptimization-v1", "reward-gradient, DistributedLeastSquares-v1",
            "matd3, DistributedOptimization-v1", "matd3, DistributedLeastSquares-v1",
            "mappo, DistributedOptimization-v1", "mappo, DistributedLeastSquares-v1",
            "coma, DistributedOptimization-v1", "coma, DistributedLeastSquares-v1"})
    void openArraysStayConstantAcrossEpisodes(String algorithmName, String envId) throws Exception {
        TrainConfig config = TrainConfig.defaults(envId).with(Map.of("algorithm", algorithmName, "numEnvs", 16,
                "episodes", 20, "trainHorizon", 3, "stepsPerEpisode", 3));
        List<Integer> openArrays = new ArrayList<>();
        try (EnvServerFixture env = new EnvServerFixture();
             NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, config)) {
            SessionSpec spec = session.spec();
            List<Model> models = AgentNetwork.newModels(spec.agentNames(), spec.maxObservationSize(),
                    config.hiddenSize(), spec.maxActionSize());
            AgentTeam.initialize(models, config.seed());
            try (Algorithm algorithm = create(new Algorithm.Setup(config, session, manager, models, null, 0))) {
                for (int episode = 0; episode < config.episodes(); episode++) {
                    algorithm.trainRound(episode);
                    algorithm.state();
                    openArrays.add(countOpen(manager));
                }
            } finally {
                models.forEach(Model::close);
            }
        }
        assertEquals(20, openArrays.size());
        assertTrue(openArrays.get(0) > 0);
        assertEquals(1, openArrays.stream().distinct().count(), "open arrays per episode: " + openArrays);
    }

    /** matd3 with a small buffer and batch, learning from its 49th env step (its second round). */
    private static Algorithm create(Algorithm.Setup setup) {
        return setup.config().algorithm().equals(Matd3.NAME)
                ? new Matd3(setup, new Matd3.Hyperparameters(1_000, 0.99, 0.005, 32, 0.1, 0.01, 48, 2, 0.2, 0.5, 1.0, 32, 1))
                : Algorithms.create(setup);
    }

    /** Arrays open in the manager and, recursively, its sub-managers. */
    private static int countOpen(NDManager manager) {
        return manager.getManagedArrays().size();
    }
}
