package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.client.RestartableEnvServer;
import org.marlopt.proto.env.v2.InteractResponse;

/** Sessions that ride out an env server restart on the same port, and what they refuse to ride out. */
class ResilientEnvSessionTest {

    static final SessionRequest SEED_ENV = new SessionRequest("DistributedOptimization-v1",
            Map.of("num_agents", "2", "param_dim", "4"), 4, false);
    static final Duration DOWNTIME = Duration.ofMillis(800);

    RestartableEnvServer server;
    final AtomicInteger recoveries = new AtomicInteger();

    @BeforeEach
    void createServer() throws Exception {
        server = new RestartableEnvServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    EnvClient client(Duration budget, List<ClientInterceptor> interceptors) {
        EnvClient client = EnvClient.connect(server.target(), Duration.ofSeconds(10), interceptors);
        client.setReconnects(Reconnects.within(budget, outage -> recoveries.incrementAndGet()));
        return client;
    }

    /** Step {@code step}'s joint action: the same in every run. */
    static float[][] actions(SessionSpec spec, int step) {
        float[][] actions = new float[spec.numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[spec.numEnvs() * spec.actionSize(agent)];
            Arrays.fill(actions[agent], 0.1f * (step + 1) * (agent + 1));
        }
        return actions;
    }

    /** Resets with seed 7, takes {@code steps} steps, restarting the server before step {@code outageAt}; every step's observations. */
    List<float[]> observations(EnvSession session, int steps, int outageAt) {
        List<float[]> seen = new ArrayList<>();
        session.reset(7);
        for (int step = 0; step < steps; step++) {
            if (step == outageAt) {
                server.restartAfter(DOWNTIME);
            }
            session.step(actions(session.spec(), step));
            seen.add(session.ownObservation(1).clone());
        }
        return seen;
    }

    @Test
    void aSessionContinuesExactlyAcrossAServerRestart() {
        server.start();
        try (EnvClient client = client(Duration.ofSeconds(20), List.of())) {
            List<float[]> interrupted;
            long start = System.nanoTime();
            try (EnvSession session = client.open(SEED_ENV)) {
                interrupted = observations(session, 6, 3);
            }
            assertTrue(System.nanoTime() - start >= DOWNTIME.toNanos(), "the outage was ridden out, not missed");
            List<float[]> uninterrupted;
            try (EnvSession session = client.open(SEED_ENV)) {
                uninterrupted = observations(session, 6, -1);
            }
            for (int step = 0; step < 6; step++) {
                assertArrayEquals(uninterrupted.get(step), interrupted.get(step), "step " + step);
            }
            assertEquals(1, recoveries.get());
        }
    }

    @Test
    void aSessionWithAMessageChannelContinuesToo() {
        // its spec holds a message graph, which has no value equality: the new session's spec is compared by edges
        SessionRequest leastSquares = new SessionRequest("DistributedLeastSquares-v1", Map.of("num_agents", "3"), 2,
                false);
        server.start();
        try (EnvClient client = client(Duration.ofSeconds(20), List.of())) {
            List<float[]> interrupted;
            try (EnvSession session = client.open(leastSquares)) {
                interrupted = observations(session, 4, 2);
            }
            try (EnvSession session = client.open(leastSquares)) {
                List<float[]> uninterrupted = observations(session, 4, -1);
                for (int step = 0; step < 4; step++) {
                    assertArrayEquals(uninterrupted.get(step), interrupted.get(step), "step " + step);
                }
            }
            assertEquals(1, recoveries.get());
        }
    }

    @Test
    void theFirstConnectionWaitsForAServerThatIsNotUpYet() {
        server.startAfter(DOWNTIME);
        try (EnvClient client = client(Duration.ofSeconds(20), List.of());
             EnvSession session = client.open(SEED_ENV)) {
            session.reset(1);
            assertEquals(1, recoveries.get());
        }
    }

    @Test
    void pastTheBudgetTheCallFailsSayingHowLongItTriedAndHowToRaiseIt() {
        server.start();
        try (EnvClient client = client(Duration.ofSeconds(1), List.of());
             EnvSession session = client.open(SEED_ENV)) {
            session.reset(1);
            server.stop();
            long start = System.nanoTime();
            EnvCallException e = assertThrows(EnvCallException.class, () -> session.step(actions(session.spec(), 0)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(Status.Code.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("gave up on the env server at " + server.target() + " after 1."),
                    e.getMessage());
            assertTrue(e.getMessage().contains("raise --retry-budget SECONDS"), e.getMessage());
            assertTrue(seconds >= 1 && seconds < 5, "gave up after " + seconds + " s");
            assertEquals(0, recoveries.get());
        }
    }

    @Test
    void theServersOwnErrorAnswersAreNotRetried() {
        server.start();
        try (EnvClient client = client(Duration.ofSeconds(20), List.of());
             EnvSession session = client.open(SEED_ENV)) {
            long start = System.nanoTime();
            EnvCallException e = assertThrows(EnvCallException.class, () -> session.step(actions(session.spec(), 0)));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.code(), e.getMessage());
            assertTrue(System.nanoTime() - start < 1_000_000_000L, "answered at once, no retries");
            session.reset(1);
            session.step(actions(session.spec(), 0));
            assertEquals(0, recoveries.get());
        }
    }

    @Test
    void aReplayAnsweredDifferentlyFailsInsteadOfTrainingOnFromAnotherState() {
        server.start();
        AtomicBoolean restarted = new AtomicBoolean();
        try (EnvClient client = client(Duration.ofSeconds(20), List.of(alteringResetsWhen(restarted)));
             EnvSession session = client.open(SEED_ENV)) {
            session.reset(7);
            session.step(actions(session.spec(), 0));
            restarted.set(true);
            server.restartAfter(DOWNTIME);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> session.step(actions(session.spec(), 1)));
            assertTrue(e.getMessage().contains("answered the replay of the episode from seed 7 differently at the "
                    + "reset"), e.getMessage());
        }
    }

    @Test
    void anEpisodeWhoseActionsPassedTheReplayCapFailsClearlyOnAnOutage() {
        server.start();
        try (EnvClient client = EnvClient.connect(server.target(), Duration.ofSeconds(10), List.of())) {
            client.setReconnects(new Reconnects(Duration.ofSeconds(20), 64, outage -> { }));
            try (EnvSession session = client.open(SEED_ENV)) {
                session.reset(7);
                for (int step = 0; step < 3; step++) {
                    session.step(actions(session.spec(), step)); // 2 x 4 copies x 4 floats = 128 bytes a step
                }
                server.restartAfter(DOWNTIME);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> session.step(actions(session.spec(), 3)));
                assertTrue(e.getMessage().contains("passed the replay cap"), e.getMessage());
            }
        }
    }

    /** Changes the first state value of every Reset answer once {@code when} is set. */
    static ClientInterceptor alteringResetsWhen(AtomicBoolean when) {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            @SuppressWarnings("unchecked")
                            public void onMessage(A message) {
                                if (when.get() && message instanceof InteractResponse answer && answer.hasReset()) {
                                    message = (A) answer.toBuilder().setReset(answer.getReset().toBuilder()
                                            .setState(0, 99f)).build();
                                }
                                super.onMessage(message);
                            }
                        }, headers);
                    }
                };
            }
        };
    }
}
