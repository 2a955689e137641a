package org.marlopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.server.EnvServer;
import org.marlopt.server.RawCalls;
import org.marlopt.server.ServerConfig;

/** Scrapes a running server's /metrics and checks the metric names the dashboards rely on. */
class ServerMetricsScrapeTest {

    private static final String ENV = "env=\"DistributedOptimization-v1\"";

    @Test
    void metricsEndpointExportsTheContractNames() throws Exception {
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(freePort());
        try (EnvServer server = EnvServer.start(config)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                driveSomeCalls(EnvServiceGrpc.newBlockingStub(channel));
                assertThrows(StatusRuntimeException.class, () -> RawCalls.call(channel, "Make", new byte[] {0x0A, -1}),
                        "a Make that does not parse");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            System.gc(); // GC pause timers appear with the first collection
            String metrics = scrapeUntil(server.metricsPort(), "jvm_gc_pause_seconds_count");

            assertEquals(1.0, value(metrics, "marl_env_sessions_active", "application=\"env-server\""));
            assertEquals(2.0, value(metrics, "marl_env_resets_total", ENV));
            assertEquals(1 + 8.0, value(metrics, "marl_env_steps_total", ENV), "a batched Step adds num_envs");
            assertEquals(2.0, value(metrics, "marl_env_step_latency_seconds_count", ENV));
            assertTrue(metrics.contains("marl_env_step_latency_seconds_bucket{"), "latency histogram");
            assertTrue(metrics.contains("marl_env_step_latency_seconds_max{"));
            assertEquals(1.0, value(metrics, "marl_env_errors_total", "code=\"INVALID_ARGUMENT\",method=\"Step\""));
            assertEquals(1.0, value(metrics, "marl_env_errors_total", "code=\"INVALID_ARGUMENT\",method=\"Make\""),
                    "malformed messages are counted");
            assertFalse(metrics.contains("statusCode=\"UNKNOWN\""), "no call was answered UNKNOWN");
            assertEquals(0.0, value(metrics, "marl_env_errors_total", "code=\"NOT_FOUND\",method=\"Close\""),
                    "pre-registered at 0");
            assertEquals(0.0, value(metrics, "marl_env_errors_total", "code=\"RESOURCE_EXHAUSTED\",method=\"Interact\""));
            for (String name : List.of("grpc_server_processing_duration_seconds_bucket{",
                    "grpc_server_requests_received_messages_total{", "grpc_server_responses_sent_messages_total{",
                    "jvm_memory_used_bytes{", "jvm_threads_live_threads{", "process_cpu_usage{",
                    "jvm_gc_pause_seconds_count{", "process_uptime_seconds{")) {
                assertTrue(metrics.contains(name), "exports " + name);
            }
            assertEquals(1.0, value(metrics, "grpc_server_processing_duration_seconds_bucket",
                    "method=\"Step\",methodType=\"UNARY\",service=\"marlopt.env.v2.EnvService\","
                    + "statusCode=\"INVALID_ARGUMENT\",le=\"+Inf\""), "gRPC timer tagged by method and status");
        }
    }

    private static void driveSomeCalls(EnvServiceGrpc.EnvServiceBlockingStub stub) {
        String single = stub.make(MakeRequest.newBuilder().setEnvId("DistributedOptimization-v1").build()).getSessionId();
        stub.reset(ResetRequest.newBuilder().setSessionId(single).setSeed(1).build());
        stub.step(step(single, 1));
        assertThrows(StatusRuntimeException.class, () -> stub.step(step(single, 2)));
        String batched = stub.make(MakeRequest.newBuilder().setEnvId("DistributedOptimization-v1")
                .setOptions(SessionOptions.newBuilder().setNumEnvs(8)).build()).getSessionId();
        stub.reset(ResetRequest.newBuilder().setSessionId(batched).setSeed(1).build());
        stub.step(step(batched, 8));
        stub.close(CloseRequest.newBuilder().setSessionId(batched).build());
    }

    private static StepRequest step(String session, int numEnvs) {
        StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session);
        for (int agent = 0; agent < 4; agent++) {
            float[] values = new float[numEnvs * 5];
            Arrays.fill(values, 0.01f);
            AgentAction.Builder action = AgentAction.newBuilder().setAgent("agent_" + agent);
            for (float value : values) {
                action.addValues(value);
            }
            step.addActions(action);
        }
        return step.build();
    }

    private static String scrapeUntil(int port, String expected) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            if (response.body().contains(expected) || System.nanoTime() > deadline) {
                return response.body();
            }
            Thread.sleep(50);
        }
    }

    /** The value of the one sample of {@code name} whose labels contain {@code labels}. */
    private static double value(String metrics, String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).contains(labels)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no sample " + name + "{" + labels + "} in\n" + metrics);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
