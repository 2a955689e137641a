package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.RestartableEnvServer;
import org.marlopt.client.metrics.ReconnectMetrics;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.Reconnects;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.proto.env.v2.InteractRequest;

/**
 * A training run whose env server restarts mid-round (stopped, back on the same port 2 s later,
 * with every session lost) ends bit-identical to an uninterrupted run: the same weights and
 * optimizer state, the same episodes.csv and evaluations.csv but for wall times.
 */
class TrainingAcrossServerRestartTest {

    static final Duration DOWNTIME = Duration.ofSeconds(2);
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path dir;
    RestartableEnvServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new RestartableEnvServer();
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void rewardGradientOnTheSeedContinuesExactly() throws IOException {
        // 16 copies x 5 steps a round: evaluations after rounds 5, 10, 15 and 20, the outage in round 8
        TrainConfig config = TrainConfig.defaults().with(Map.of("numEnvs", 16, "episodes", 20, "evaluate", false,
                "checkpointEvery", 0, "evalEverySteps", 400, "evalEveryEpisodes", 16));
        assertContinuesExactly(config, 7);
    }

    @Test
    void mappoOnTheSeedContinuesExactly() throws IOException {
        // 16 copies x 5 steps a round, 2 x 2 updates: evaluations after rounds 2, 4 and 6, the outage in round 3
        TrainConfig config = TrainConfig.defaults().with(Map.ofEntries(Map.entry("algorithm", "mappo"),
                Map.entry("numEnvs", 16), Map.entry("episodes", 6), Map.entry("lrSchedule", "constant"),
                Map.entry("algo.gamma", "0"), Map.entry("algo.epochs", "2"), Map.entry("algo.minibatches", "2"),
                Map.entry("evaluate", false), Map.entry("checkpointEvery", 0), Map.entry("evalEverySteps", 160),
                Map.entry("evalEveryEpisodes", 16)));
        assertContinuesExactly(config, 2);
    }

    /**
     * Trains {@code config} once without and once with a server restart at the third step after
     * round {@code roundsBefore}, and compares what the two runs wrote.
     */
    private void assertContinuesExactly(TrainConfig config, int roundsBefore) throws IOException {
        Path straight = dir.resolve("straight");
        Path interrupted = dir.resolve("interrupted");
        try (EnvClient client = EnvClient.connect(server.target(), Duration.ofSeconds(30), List.of())) {
            new TrainJob(client, null, QUIET, false).train(config, straight, "straight");
        }
        AtomicInteger stepsToOutage = new AtomicInteger(-1);
        MeterRegistry registry = new SimpleMeterRegistry();
        try (EnvClient client = EnvClient.connect(server.target(), Duration.ofSeconds(30),
                List.of(restartingServerAtStep(stepsToOutage)))) {
            client.setReconnects(Reconnects.within(Duration.ofSeconds(20), new ReconnectMetrics(registry)));
            new TrainJob(client, registry, QUIET, false)
                    .withListener(round -> {
                        if (round.episode() + 1 == roundsBefore) {
                            stepsToOutage.set(3);
                        }
                    })
                    .train(config, interrupted, "interrupted");
        }

        // the training session, and the evaluation session idle since the evaluation before the outage
        assertEquals(2, registry.counter("marl.client.reconnects").count());
        assertEquals(withoutColumn(straight.resolve(TrainJob.EPISODES_FILE), "wall_time_s"),
                withoutColumn(interrupted.resolve(TrainJob.EPISODES_FILE), "wall_time_s"));
        assertEquals(withoutColumn(straight.resolve(TrainJob.EVALUATIONS_FILE), "wall_seconds"),
                withoutColumn(interrupted.resolve(TrainJob.EVALUATIONS_FILE), "wall_seconds"));
        for (String checkpoint : List.of(TrainJob.CHECKPOINT_DIR, TrainJob.BEST_CHECKPOINT_DIR)) {
            List<Path> state = trainedState(straight.resolve(checkpoint));
            assertEquals(state.stream().map(Path::getFileName).toList(),
                    trainedState(interrupted.resolve(checkpoint)).stream().map(Path::getFileName).toList());
            for (Path file : state) {
                assertArrayEquals(Files.readAllBytes(file),
                        Files.readAllBytes(interrupted.resolve(checkpoint).resolve(straight.resolve(checkpoint)
                                .relativize(file).toString())), file.toString());
            }
        }
    }

    /** The agents' weights and the optimizer's state in a checkpoint. */
    static List<Path> trainedState(Path checkpoint) throws IOException {
        try (Stream<Path> files = Files.walk(checkpoint)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().endsWith(".params") || file.toString().endsWith(".ndlist"))
                    .sorted().toList();
        }
    }

    static List<String> withoutColumn(Path csv, String column) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int index = Arrays.asList(lines.get(0).split(",")).indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException(csv + " has no column " + column + ": " + lines.get(0));
        }
        return lines.stream().map(line -> {
            String[] cells = line.split(",", -1);
            return Stream.concat(Arrays.stream(cells, 0, index), Arrays.stream(cells, index + 1, cells.length))
                    .collect(Collectors.joining(","));
        }).toList();
    }

    /** Restarts the server just before the {@code steps}-th Step request once {@code steps} is set (counted down). */
    private ClientInterceptor restartingServerAtStep(AtomicInteger steps) {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void sendMessage(Q message) {
                        if (message instanceof InteractRequest request && request.hasStep()
                                && steps.get() > 0 && steps.decrementAndGet() == 0) {
                            server.restartAfter(DOWNTIME);
                        }
                        super.sendMessage(message);
                    }
                };
            }
        };
    }
}
