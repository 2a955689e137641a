package org.marlopt.client.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.policy.LearnedPolicy;
import org.marlopt.client.policy.ZeroPolicy;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.TrainConfig;

/** matd3: its critic target, its session, and a short seeded run on the seed. */
class Matd3Test {

    /** The seed in 1-step training episodes; learning after 1,024 random env steps, a critic update per step. */
    static final TrainConfig SEED = TrainConfig.defaults().with(Map.of("algorithm", Matd3.NAME, "numEnvs", 32,
            "episodes", 60, "stepsPerEpisode", 8, "lrSchedule", "constant"));
    static final Matd3.Hyperparameters SHORT = new Matd3.Hyperparameters(20_000, 0.99, 0.005, 128, 0.1, 0.01,
            1_024, 2, 0.2, 0.5, 1.0, 128, 1);

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    @Test
    void theCriticTargetBootstrapsFromTheSmallerTwinUnlessTheEpisodeTerminated() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // two transitions, two agents: the first terminated, the second was truncated (or goes on)
            NDArray rewards = manager.create(new float[] {-1f, -2f, -3f, -4f}, new Shape(2, 2));
            NDArray terminated = manager.create(new float[] {1f, 0f});
            NDArray nextQ = manager.create(new float[] {10f, 20f, 30f, 40f, 12f, 18f, 35f, 38f}, new Shape(2, 2, 2));
            NDArray y = Matd3.criticTarget(rewards, terminated, nextQ, 0.5f);
            // row 0: r; row 1: r + 0.5 * min(Q1', Q2') = (-3 + 15, -4 + 19)
            assertArrayEquals(new float[] {-1f, -2f, 12f, 15f}, y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void itsTrainingSessionsComeWithoutRewardGradients() {
        assertFalse(Algorithms.get(Matd3.NAME).needsRewardGradient());
        try (EnvSession session = Sessions.training(env.client, SEED)) {
            assertFalse(session.spec().rewardGradient(), "the seed offers one; matd3 does not ask for it");
        }
    }

    /** The mean evaluation return on 200 fresh starts of the seed (50-step episodes, ends when solved). */
    @Test
    void aShortSeededRunBeatsTheZeroPolicyClearlyAndRepeatsExactly() {
        long started = System.nanoTime();
        double[] first = train();
        double[] second = train();
        assertArrayEquals(first, second, "same seed, same curve and evaluation");
        double zero;
        try (EnvSession evaluation = Sessions.evaluation(env.client, SEED.envId(), Map.of(), 200)) {
            zero = Evaluator.evaluate(new ZeroPolicy(), evaluation, SEED.evalSeed(), 200, EnvExtras.NONE).meanReturn();
        }
        double learned = first[first.length - 1];
        assertTrue(learned > 0.2 * zero, "learned " + learned + " vs zero " + zero);
        assertTrue(System.nanoTime() - started < 60e9, "two runs took " + (System.nanoTime() - started) / 1e9 + " s");
    }

    /** 6 rounds straight, and 3 rounds, the state through its checkpoint encoding, then 3 more: the same run. */
    @Test
    void itsStateResumesTheRunExactly() {
        TrainConfig config = SEED.with(Map.of("episodes", 6));
        Matd3.Hyperparameters early = new Matd3.Hyperparameters(1_000, 0.99, 0.005, 64, 0.1, 0.01, 256, 2, 0.2, 0.5,
                1.0, 64, 1);
        try (NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, config)) {
            List<Model> models = freshModels(session.spec(), config);
            List<Model> resumedModels = freshModels(session.spec(), config);
            try {
                double[] straight = new double[6];
                float[] straightWeights;
                try (Matd3 algorithm = new Matd3(new Algorithm.Setup(config, session, manager, models, null, 0), early)) {
                    for (int round = 0; round < 6; round++) {
                        straight[round] = algorithm.trainRound(round).meanReturn();
                    }
                    straightWeights = algorithm.agents().parameters().get(0).toFloatArray();
                }
                double[] resumed = new double[6];
                byte[] saved;
                long updates;
                try (Matd3 algorithm = new Matd3(new Algorithm.Setup(config, session, manager, resumedModels, null, 0),
                        early)) {
                    for (int round = 0; round < 3; round++) {
                        resumed[round] = algorithm.trainRound(round).meanReturn();
                    }
                    algorithm.agents().copyTo(resumedModels);
                    Algorithm.State state = algorithm.state();
                    saved = state.arrays().encode();
                    updates = state.step();
                }
                Algorithm.State state = new Algorithm.State(NDList.decode(manager, saved), updates);
                try (Matd3 algorithm = new Matd3(new Algorithm.Setup(config, session, manager, resumedModels, state,
                        3L * 32 * 8), early)) {
                    for (int round = 3; round < 6; round++) {
                        resumed[round] = algorithm.trainRound(round).meanReturn();
                    }
                    assertArrayEquals(straightWeights, algorithm.agents().parameters().get(0).toFloatArray());
                }
                assertArrayEquals(straight, resumed);
            } finally {
                models.forEach(Model::close);
                resumedModels.forEach(Model::close);
            }
        }
    }

    private static List<Model> freshModels(SessionSpec spec, TrainConfig config) {
        List<Model> models = AgentNetwork.newModels(spec.agentNames(), spec.maxObservationSize(), config.hiddenSize(),
                spec.maxActionSize());
        AgentTeam.initialize(models, config.seed());
        return models;
    }

    /** Every round's training return, then the learned policy's evaluation return. */
    private static double[] train() {
        double[] results = new double[SEED.episodes() + 1];
        try (NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, SEED)) {
            SessionSpec spec = session.spec();
            List<Model> models = freshModels(spec, SEED);
            try (Matd3 algorithm = new Matd3(new Algorithm.Setup(SEED, session, manager, models, null, 0), SHORT);
                 EnvSession evaluation = Sessions.evaluation(env.client, SEED.envId(), Map.of(), 200)) {
                for (int round = 0; round < SEED.episodes(); round++) {
                    results[round] = algorithm.trainRound(round).meanReturn();
                }
                LearnedPolicy learned = new LearnedPolicy(algorithm.agents(), evaluation.spec(),
                        ObservationTransform.NONE, manager);
                results[SEED.episodes()] = Evaluator.evaluate(learned, evaluation, SEED.evalSeed(), 200,
                        EnvExtras.NONE).meanReturn();
            } finally {
                models.forEach(Model::close);
            }
        }
        return results;
    }
}
