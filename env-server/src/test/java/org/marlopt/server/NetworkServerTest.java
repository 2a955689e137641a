package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;
import picocli.CommandLine;

/** The server on a real 127.0.0.1 port: many clients, limits, health, reflection, shutdown. */
class NetworkServerTest {

    private EnvServer server;

    @BeforeEach
    void start() throws Exception {
        server = EnvServer.start(TestServer.config().withMaxMessageBytes(64 * 1024));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ManagedChannel channel() {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @Test
    void byDefaultTheServerOffersTheEnvironmentsOnTheClassPath() throws InterruptedException {
        ManagedChannel channel = channel();
        try {
            assertEquals(EnvRegistry.discover().ids(), EnvServiceGrpc.newBlockingStub(channel)
                    .getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getEnvIdsList());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void thirtyTwoConcurrentClientsSeeOnlyTheirOwnSessions() throws Exception {
        int clients = 32;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            CompletableFuture<Void> go = new CompletableFuture<>();
            for (int client = 0; client < clients; client++) {
                long seed = 1000L * client;
                results.add(pool.submit(() -> {
                    go.join();
                    return runClient(seed);
                }));
            }
            go.complete(null);
            for (Future<Integer> result : results) {
                assertEquals(40, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, server.activeSessions());
    }

    /** Steps its own session, checking each step against an in-process environment. */
    private int runClient(long seed) throws InterruptedException {
        ManagedChannel channel = channel();
        try {
            var stub = EnvServiceGrpc.newBlockingStub(channel);
            // Long episodes that never terminate, so every step compares a live transition.
            // max_episode_steps, an integer, is sent as a whole number, which the server accepts.
            String session = stub.make(TestServer.makeRequest(1, true).toBuilder()
                    .putParams("max_episode_steps", TestServer.number(1000))
                    .putParams("success_threshold", TestServer.number(1e-9)).build()).getSessionId();
            stub.reset(TestServer.reset(session, seed));
            BatchedVectorEnv reference = TestServer.REGISTRY.make(TestServer.ENV_ID,
                    Map.of("max_episode_steps", 1000L, "success_threshold", 1e-9), new VectorOptions(1, true, null));
            reference.reset(seed);
            SplittableRandom random = new SplittableRandom(seed);
            int steps = 0;
            for (; steps < 40; steps++) {
                float[][] actions = new float[4][5];
                StepRequest.Builder request = StepRequest.newBuilder().setSessionId(session);
                for (int agent = 0; agent < 4; agent++) {
                    for (int i = 0; i < 5; i++) {
                        actions[agent][i] = (float) random.nextGaussian() * 0.1f;
                    }
                    request.addActions(TestServer.action("agent_" + agent, actions[agent]));
                }
                StepResponse response = stub.step(request.build());
                Transition expected = reference.step(actions);
                assertArrayEquals(expected.state(), ServerAssertions.floats(response.getStateList()));
                assertArrayEquals(expected.sharedObservation(),
                        ServerAssertions.floats(response.getSharedObservationList()));
                assertArrayEquals(expected.rewardGradient(3),
                        ServerAssertions.floats(response.getAgents(3).getRewardGradientList()));
            }
            stub.close(CloseRequest.newBuilder().setSessionId(session).build());
            return steps;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void concurrentCallsOnOneSessionAreSerialized() throws Exception {
        ManagedChannel channel = channel();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            var stub = EnvServiceGrpc.newBlockingStub(channel);
            String session = stub.make(TestServer.makeRequest(1, false).toBuilder()
                    .putParams("max_episode_steps", TestServer.integer(100000))
                    .putParams("target", TestServer.number(1000)).build()).getSessionId();
            stub.reset(TestServer.reset(session, 1));
            StepRequest step = TestServer.uniformStep(session, 1, 0.01f, 0.01f, 0.01f, 0.01f);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                results.add(pool.submit(() -> {
                    List<Integer> seen = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        seen.add(stub.step(step).getEpisodeSteps(0));
                    }
                    return seen;
                }));
            }
            Set<Integer> all = new HashSet<>();
            for (Future<List<Integer>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(400, all.size(), "every step saw a distinct episode step count");
            assertEquals(1, all.stream().mapToInt(Integer::intValue).min().orElseThrow());
            assertEquals(400, all.stream().mapToInt(Integer::intValue).max().orElseThrow());
        } finally {
            pool.shutdownNow();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void busyPollingServerServesAndStopsItsEventLoops() throws InterruptedException {
        try (EnvServer busy = EnvServer.start(TestServer.config().withBusyPoll(true))) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", busy.port()).usePlaintext().build();
            try {
                var stub = EnvServiceGrpc.newBlockingStub(channel);
                String session = stub.make(TestServer.makeRequest(1, false)).getSessionId();
                stub.reset(TestServer.reset(session, 1));
                assertEquals(1, stub.step(TestServer.uniformStep(session, 1, 0, 0, 0, 0)).getEpisodeSteps(0));
                assertEquals(1, busyPollThreads(), "the connection is served by the one spinning event loop");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(busyPollThreadsEnd(), "close stops the spinning event loop, which would burn a core");
    }

    @Test
    void aMetricsPortInUseFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThrows(java.io.IOException.class, () -> EnvServer.start(TestServer.config()
                    .withBusyPoll(true).withMetricsPort(taken.getLocalPort())));
        }
        assertTrue(busyPollThreadsEnd(), "the failed start stopped its spinning event loop");
    }

    /**
     * Whether every spinning event-loop thread has exited within a few seconds: Netty completes a
     * loop's termination just before its thread returns, so the thread may outlive close() briefly.
     */
    private static boolean busyPollThreadsEnd() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (busyPollThreads() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static long busyPollThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("env-server-busy-poll")).count();
    }

    @Test
    void oversizedRequestIsResourceExhaustedAndTheServerCarriesOn() throws InterruptedException {
        ManagedChannel channel = channel();
        try {
            var stub = EnvServiceGrpc.newBlockingStub(channel);
            String session = stub.make(TestServer.makeRequest(1, false)).getSessionId();
            stub.reset(TestServer.reset(session, 1));
            StepRequest huge = TestServer.uniformStep(session, 1, 0, 0, 0, 0).toBuilder()
                    .setActions(0, TestServer.action("agent_0", new float[32 * 1024])).build();
            StatusRuntimeException failure = assertThrows(
                    StatusRuntimeException.class, () -> stub.step(huge));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, failure.getStatus().getCode());
            assertEquals(1, stub.step(TestServer.uniformStep(session, 1, 0, 0, 0, 0)).getEpisodeSteps(0));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void healthAndReflectionServeGenericClients() throws Exception {
        ManagedChannel channel = channel();
        try {
            var health = HealthGrpc.newBlockingStub(channel);
            assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
            assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                    .setService(EnvServiceGrpc.SERVICE_NAME).build()).getStatus());

            LinkedBlockingQueue<ServerReflectionResponse> responses = new LinkedBlockingQueue<>();
            StreamObserver<ServerReflectionRequest> reflection = ServerReflectionGrpc.newStub(channel)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override public void onNext(ServerReflectionResponse value) {
                            responses.add(value);
                        }
                        @Override public void onError(Throwable t) {}
                        @Override public void onCompleted() {}
                    });
            reflection.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            Set<String> services = responses.poll(10, TimeUnit.SECONDS).getListServicesResponse()
                    .getServiceList().stream().map(ServiceResponse::getName).collect(Collectors.toSet());
            assertTrue(services.containsAll(Set.of("marlopt.env.v2.EnvService", "grpc.health.v1.Health")), services.toString());
            reflection.onNext(ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol("marlopt.env.v2.EnvService").build());
            assertTrue(responses.poll(10, TimeUnit.SECONDS).getFileDescriptorResponse().getFileDescriptorProtoCount() > 0);
            reflection.onCompleted();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void healthCommandExitsZeroWhenServingAndOneOtherwise() {
        String target = "127.0.0.1:" + server.port();
        assertEquals(0, new CommandLine(new EnvServerMain()).execute("health", "--target", target));
        server.close();
        assertEquals(1, new CommandLine(new EnvServerMain()).execute("health", "--target", target,
                "--timeout-seconds", "2"));
    }
}
