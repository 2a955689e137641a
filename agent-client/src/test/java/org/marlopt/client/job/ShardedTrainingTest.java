package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.metrics.ReconnectMetrics;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.Reconnects;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * One trainer over three env-server replicas given as a --server list: its sessions split into
 * three shards spread over the replicas, and the run ends bit-identical to one on a single server
 * in one session, also when a replica stops mid-round (its shard is made again on another replica
 * and its episode replayed) and when a run is resumed with another number of shards.
 */
class ShardedTrainingTest {

    static final TrainConfig REWARD_GRADIENT = TrainConfig.defaults().with(Map.of("numEnvs", 16, "episodes", 20,
            "evaluate", false, "checkpointEvery", 0, "evalEverySteps", 400, "evalEveryEpisodes", 16));

    @TempDir
    Path dir;
    final List<EnvServer> replicas = new ArrayList<>();

    @BeforeEach
    void startReplicas() throws IOException {
        for (int i = 0; i < 3; i++) {
            replicas.add(EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(0)
                    .withShutdownGrace(Duration.ZERO), EnvServerFixture.REGISTRY));
        }
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(EnvServer::close);
    }

    @Test
    void rewardGradientOnThreeShardsMatchesOneSessionThoughAReplicaStops() throws IOException {
        Path straight = trainOnOneServer(REWARD_GRADIENT, "straight");
        AtomicInteger stepsToStop = new AtomicInteger(-1);
        MeterRegistry registry = new SimpleMeterRegistry();
        List<Integer> sessionsPerReplica = new ArrayList<>();
        Path sharded = dir.resolve("sharded");
        String list = list();
        try (EnvClient client = EnvClient.connect(list, Duration.ofSeconds(30),
                List.of(stoppingReplicaAtStep(1, stepsToStop)))) {
            client.setReconnects(Reconnects.within(Duration.ofSeconds(20), new ReconnectMetrics(registry)));
            awaitEveryReplicaConnected(client);
            new TrainJob(client, registry, TrainingAcrossServerRestartTest.QUIET, false)
                    .withListener(round -> {
                        if (round.episode() == 0) {
                            replicas.forEach(replica -> sessionsPerReplica.add(replica.activeSessions()));
                        }
                        if (round.episode() + 1 == 7) {
                            stepsToStop.set(3); // the replica stops at the third step of round 8
                        }
                    })
                    .train(REWARD_GRADIENT, sharded, "sharded");
        }

        assertEquals(List.of(1, 1, 1), sessionsPerReplica, "a training shard on every replica");
        assertTrue(registry.counter("marl.client.reconnects").count() >= 1, "the stopped replica's shard moved");
        assertSameRun(straight, sharded);
        JsonNode provenance = new ObjectMapper().readTree(sharded.resolve(TrainJob.CONFIG_FILE).toFile())
                .get("provenance");
        assertEquals(3, provenance.get("shards").asInt());
        assertEquals(List.of(list.split(",")), new ObjectMapper().convertValue(provenance.get("server_replicas"), List.class));
    }

    @Test
    void mappoOnThreeShardsMatchesOneSession() throws IOException {
        TrainConfig config = TrainConfig.defaults().with(Map.ofEntries(Map.entry("algorithm", "mappo"),
                Map.entry("numEnvs", 16), Map.entry("episodes", 6), Map.entry("lrSchedule", "constant"),
                Map.entry("algo.gamma", "0"), Map.entry("algo.epochs", "2"), Map.entry("algo.minibatches", "2"),
                Map.entry("evaluate", false), Map.entry("checkpointEvery", 0), Map.entry("evalEverySteps", 160),
                Map.entry("evalEveryEpisodes", 16)));
        Path straight = trainOnOneServer(config, "straight");
        Path sharded = dir.resolve("sharded");
        try (EnvClient client = EnvClient.connect(list(), Duration.ofSeconds(30), List.of())) {
            new TrainJob(client, null, TrainingAcrossServerRestartTest.QUIET, false).train(config, sharded, "sharded");
        }
        assertSameRun(straight, sharded);
    }

    @Test
    void aRunResumedWithAnotherShardCountContinuesExactly() throws IOException {
        // a constant learning rate: a linear schedule is stretched by the resume's more rounds
        TrainConfig config = REWARD_GRADIENT.with(Map.of("episodes", 12, "evalEverySteps", 0,
                "lrSchedule", "constant"));
        Path straight = trainOnOneServer(config, "straight");
        Path resumed = dir.resolve("resumed");
        try (EnvClient client = EnvClient.connect(list(), Duration.ofSeconds(30), List.of())) {
            new TrainJob(client, null, TrainingAcrossServerRestartTest.QUIET, false)
                    .train(config.with(Map.of("episodes", 5)), resumed, "resumed");
        }
        try (EnvClient client = EnvClient.connect(list(), Duration.ofSeconds(30), List.of())) {
            client.setShards(2);
            new TrainJob(client, null, TrainingAcrossServerRestartTest.QUIET, false)
                    .resume(resumed.resolve(TrainJob.CHECKPOINT_DIR), Map.of("episodes", 12), resumed, "resumed");
        }
        assertSameRun(straight, resumed);
    }

    /**
     * Round-robin gives streams to the replicas connected and healthy at the time, so on a busy
     * machine the first session could come before the last replica's health check answered.
     */
    private static void awaitEveryReplicaConnected(EnvClient client) {
        client.capabilities();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path trainOnOneServer(TrainConfig config, String name) throws IOException {
        Path out = dir.resolve(name);
        try (EnvClient client = EnvClient.connect("127.0.0.1:" + replicas.get(0).port(), Duration.ofSeconds(30),
                List.of())) {
            new TrainJob(client, null, TrainingAcrossServerRestartTest.QUIET, false).train(config, out, name);
        }
        return out;
    }

    private String list() {
        return replicas.stream().map(replica -> "127.0.0.1:" + replica.port()).collect(Collectors.joining(","));
    }

    /** The same episodes and evaluations but for wall times, and the same trained state, byte for byte. */
    private static void assertSameRun(Path expected, Path actual) throws IOException {
        assertEquals(TrainingAcrossServerRestartTest.withoutColumn(expected.resolve(TrainJob.EPISODES_FILE),
                "wall_time_s"), TrainingAcrossServerRestartTest.withoutColumn(actual.resolve(TrainJob.EPISODES_FILE),
                "wall_time_s"));
        if (Files.exists(expected.resolve(TrainJob.EVALUATIONS_FILE))) {
            assertEquals(TrainingAcrossServerRestartTest.withoutColumn(expected.resolve(TrainJob.EVALUATIONS_FILE),
                    "wall_seconds"), TrainingAcrossServerRestartTest.withoutColumn(
                    actual.resolve(TrainJob.EVALUATIONS_FILE), "wall_seconds"));
        }
        Path checkpoint = expected.resolve(TrainJob.CHECKPOINT_DIR);
        List<Path> state = TrainingAcrossServerRestartTest.trainedState(checkpoint);
        assertTrue(!state.isEmpty());
        for (Path file : state) {
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(actual.resolve(TrainJob.CHECKPOINT_DIR)
                    .resolve(checkpoint.relativize(file).toString())), file.toString());
        }
    }

    /** Stops replica {@code index} just before the {@code steps}-th Step request once {@code steps} is set. */
    private ClientInterceptor stoppingReplicaAtStep(int index, AtomicInteger steps) {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void sendMessage(Q message) {
                        if (message instanceof InteractRequest request && request.hasStep()
                                && steps.get() > 0 && steps.decrementAndGet() == 0) {
                            replicas.get(index).close();
                        }
                        super.sendMessage(message);
                    }
                };
            }
        };
    }
}
