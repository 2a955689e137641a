package org.marlopt.client.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.algo.Algorithm;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.algo.Matd3;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * Training reads no memory the JVM has freed: a seeded run gives the same weights when a thread
 * collects garbage and overwrites freed direct memory all along as when it runs undisturbed. (An
 * autograd graph that kept a pointer into a closed array's direct buffer, as DJL's
 * {@code mul(Number)} leaves, gave gradients of 1e20 and different weights on every such run.)
 */
class GarbageCollectionTest {

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"reward-gradient", "matd3", "mappo", "coma"})
    void aRunUnderConstantGarbageCollectionEndsWithTheSameWeights(String algorithm) throws InterruptedException {
        TrainConfig config = TrainConfig.defaults().with(Map.of("algorithm", algorithm, "numEnvs", 16,
                "episodes", 3, "stepsPerEpisode", 3, "lrSchedule", "constant"));
        float[] undisturbed = finalWeights(config);
        GarbageMaker garbage = new GarbageMaker();
        garbage.start();
        try {
            assertArrayEquals(undisturbed, finalWeights(config), algorithm);
        } finally {
            garbage.interrupt();
            garbage.join();
        }
    }

    /** Every weight of agent 0's first layer after the run. */
    private static float[] finalWeights(TrainConfig config) {
        try (NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, config)) {
            SessionSpec spec = session.spec();
            List<Model> models = AgentNetwork.newModels(spec.agentNames(), spec.maxObservationSize(),
                    config.hiddenSize(), spec.maxActionSize());
            AgentTeam.initialize(models, config.seed());
            try (Algorithm algorithm = create(new Algorithm.Setup(config, session, manager, models, null, 0))) {
                for (int round = 0; round < config.episodes(); round++) {
                    algorithm.trainRound(round);
                }
                NDArray weights = algorithm.agents().parameters().get(0);
                return weights.toFloatArray();
            } finally {
                models.forEach(Model::close);
            }
        }
    }

    /** matd3 learning from its second round on, so that its updates run. */
    private static Algorithm create(Algorithm.Setup setup) {
        return setup.config().algorithm().equals(Matd3.NAME)
                ? new Matd3(setup, new Matd3.Hyperparameters(1_000, 0.99, 0.005, 32, 0.1, 0.01, 48, 1, 0.2, 0.5, 1.0, 32, 1))
                : Algorithms.create(setup);
    }

    /** Collects garbage, then fills fresh direct buffers (likely where freed ones were) with a pattern, until interrupted. */
    private static final class GarbageMaker extends Thread {

        GarbageMaker() {
            super("garbage-maker");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                System.gc();
                List<ByteBuffer> buffers = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
                    while (buffer.hasRemaining()) {
                        buffer.putInt(0x7f7f7f7f);
                    }
                    buffers.add(buffer);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
