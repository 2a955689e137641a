package org.marlopt.client.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.policy.LearnedPolicy;
import org.marlopt.client.policy.ZeroPolicy;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.MakeRequest;

/** mappo and coma: short seeded runs on the seed, exact repetition and resumption, and their sessions. */
class ModelFreeTrainersTest {

    /** The seed in 1-step training episodes (the bandit the seed's training is), 64 copies x 5 steps per round. */
    static TrainConfig seed(String algorithm, int rounds) {
        return TrainConfig.defaults().with(Map.of("algorithm", algorithm, "numEnvs", 64, "episodes", rounds,
                "lrSchedule", "constant", "algo.gamma", "0"));
    }

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    /** The mean evaluation return on 200 fresh starts of the seed after 60 rounds (19,200 env steps), twice. */
    @ParameterizedTest
    @ValueSource(strings = {Mappo.NAME, Coma.NAME})
    void aShortSeededRunBeatsTheZeroPolicyClearlyAndRepeatsExactly(String algorithm) {
        TrainConfig config = seed(algorithm, 60);
        double[] first = train(config);
        double[] second = train(config);
        assertArrayEquals(first, second, "same seed, same curve and evaluation");
        double zero;
        try (EnvSession evaluation = Sessions.evaluation(env.client, config.envId(), Map.of(), 200)) {
            zero = Evaluator.evaluate(new ZeroPolicy(), evaluation, config.evalSeed(), 200, EnvExtras.NONE)
                    .meanReturn();
        }
        double learned = first[first.length - 1];
        assertTrue(learned > 0.5 * zero, algorithm + ": learned " + learned + " vs zero " + zero);
    }

    /** 6 rounds straight, and 3 rounds, the state through its checkpoint encoding, then 3 more: the same run. */
    @ParameterizedTest
    @ValueSource(strings = {Mappo.NAME, Coma.NAME})
    void itsStateResumesTheRunExactly(String algorithm) {
        TrainConfig config = seed(algorithm, 6).with(Map.of("numEnvs", 16));
        try (NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, config)) {
            List<Model> models = freshModels(session.spec(), config);
            List<Model> resumedModels = freshModels(session.spec(), config);
            try {
                double[] straight = new double[6];
                float[] straightWeights;
                try (Algorithm trainer = Algorithms.create(setup(config, session, manager, models, null, 0))) {
                    for (int round = 0; round < 6; round++) {
                        straight[round] = trainer.trainRound(round).meanReturn();
                    }
                    straightWeights = trainer.agents().parameters().get(0).toFloatArray();
                }
                double[] resumed = new double[6];
                byte[] saved;
                long step;
                try (Algorithm trainer = Algorithms.create(setup(config, session, manager, resumedModels, null, 0))) {
                    for (int round = 0; round < 3; round++) {
                        resumed[round] = trainer.trainRound(round).meanReturn();
                    }
                    trainer.agents().copyTo(resumedModels);
                    Algorithm.State state = trainer.state();
                    saved = state.arrays().encode();
                    step = state.step();
                }
                Algorithm.State state = new Algorithm.State(NDList.decode(manager, saved), step);
                try (Algorithm trainer = Algorithms.create(setup(config, session, manager, resumedModels, state,
                        3L * 16 * 5))) {
                    for (int round = 3; round < 6; round++) {
                        resumed[round] = trainer.trainRound(round).meanReturn();
                    }
                    assertArrayEquals(straightWeights, trainer.agents().parameters().get(0).toFloatArray());
                }
                assertArrayEquals(straight, resumed);
            } finally {
                models.forEach(Model::close);
                resumedModels.forEach(Model::close);
            }
        }
    }

    /**
     * What the client sends to the server, read off the wire: every model-free trainer's training
     * session is made without reward gradients, though the seed offers them, and config.json says so.
     */
    @ParameterizedTest
    @ValueSource(strings = {Matd3.NAME, Mappo.NAME, Coma.NAME})
    void itsTrainingSessionsAreMadeWithoutRewardGradients(String algorithm, @TempDir Path out) throws IOException {
        assertFalse(Algorithms.get(algorithm).needsRewardGradient());
        List<MakeRequest> made = new CopyOnWriteArrayList<>();
        try (EnvClient client = EnvClient.connect(env.target(), Duration.ofSeconds(30), List.of(recording(made)))) {
            TrainConfig config = seed(algorithm, 1).with(Map.of("numEnvs", 4, "evaluate", false,
                    "algo." + (algorithm.equals(Matd3.NAME) ? "batchSize" : "minibatches"), "2"));
            new TrainJob(client, null, System.out, false).train(config, out, "model-free");
        }
        assertFalse(made.isEmpty(), "the run made its training session");
        for (MakeRequest request : made) {
            assertFalse(request.getOptions().getRewardGradient(), request.toString());
        }
        Map<?, ?> session = (Map<?, ?>) Json.MAPPER.readValue(out.resolve(TrainJob.CONFIG_FILE).toFile(), Map.class)
                .get("training_session");
        assertEquals(false, session.get("reward_gradient"));
        assertEquals(4, ((Number) session.get("num_envs")).intValue());
    }

    @Test
    void settingsNameTheAlgorithmsHyperparametersAndRefuseUnknownOnes() {
        TrainConfig config = seed(Mappo.NAME, 1).with(Map.of("algo.clipCoef", "0.1", "algo.epochs", "3"));
        Mappo.Hyperparameters hp = (Mappo.Hyperparameters) Algorithms.hyperparameters(config);
        assertEquals(0.1, hp.clipCoef());
        assertEquals(3, hp.epochs());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> seed(Coma.NAME, 1).with(Map.of("algo.clipRatio", "0.1")));
        assertTrue(unknown.getMessage().contains("algo.clipRatio") && unknown.getMessage().contains("algo.clipCoef"),
                unknown.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> seed(Coma.NAME, 1).with(Map.of("algo.counterfactualSamples", "many")));
        assertTrue(malformed.getMessage().contains("a whole number"), malformed.getMessage());
        IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                () -> seed(Mappo.NAME, 1).with(Map.of("algo.gaeLambda", "1.5")));
        assertTrue(outOfRange.getMessage().contains("algo.gaeLambda must be in [0, 1]"), outOfRange.getMessage());
    }

    private static ClientInterceptor recording(List<MakeRequest> made) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void sendMessage(Q message) {
                        if (message instanceof MakeRequest request) {
                            made.add(request);
                        } else if (message instanceof InteractRequest request && request.hasMake()) {
                            made.add(request.getMake()); // a session owned by a stream
                        }
                        super.sendMessage(message);
                    }
                };
            }
        };
    }

    private static Algorithm.Setup setup(TrainConfig config, EnvSession session, NDManager manager, List<Model> models,
                                         Algorithm.State resumed, long envSteps) {
        return new Algorithm.Setup(config, session, manager, models, resumed, envSteps);
    }

    private static List<Model> freshModels(SessionSpec spec, TrainConfig config) {
        List<Model> models = AgentNetwork.newModels(spec.agentNames(), spec.maxObservationSize(), config.hiddenSize(),
                spec.maxActionSize());
        AgentTeam.initialize(models, config.seed());
        return models;
    }

    /** Every round's training return, then the learned policy's evaluation return on 200 fresh starts. */
    private static double[] train(TrainConfig config) {
        double[] results = new double[config.episodes() + 1];
        try (NDManager manager = NDManager.newBaseManager();
             EnvSession session = Sessions.training(env.client, config)) {
            List<Model> models = freshModels(session.spec(), config);
            try (Algorithm trainer = Algorithms.create(setup(config, session, manager, models, null, 0));
                 EnvSession evaluation = Sessions.evaluation(env.client, config.envId(), Map.of(), 200)) {
                for (int round = 0; round < config.episodes(); round++) {
                    results[round] = trainer.trainRound(round).meanReturn();
                }
                LearnedPolicy learned = new LearnedPolicy(trainer.agents(), evaluation.spec(),
                        ObservationTransform.NONE, manager);
                results[config.episodes()] = Evaluator.evaluate(learned, evaluation, config.evalSeed(), 200,
                        EnvExtras.NONE).meanReturn();
            } finally {
                models.forEach(Model::close);
            }
        }
        return results;
    }
}
