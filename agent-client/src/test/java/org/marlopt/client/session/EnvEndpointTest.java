package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.security.ClientSecurity;

/** The embedded server: the same service over an in-process channel, metered, and stopped gracefully. */
class EnvEndpointTest {

    private static final String SEED = "DistributedOptimization-v1";

    @Test
    void theEmbeddedServerIsReachedInProcessMeteredAndDrainedOnClose() throws Exception {
        assumeTrue(System.getenv(EnvEndpoint.TARGET_VARIABLE) == null, "a remote server is configured");
        int metricsPort = freePort();
        EnvEndpoint endpoint = EnvEndpoint.resolve(null, metricsPort);
        EnvClient client = endpoint.connect(Duration.ofSeconds(30), List.of(), ClientSecurity.PLAINTEXT);
        try (client; endpoint) {
            assertTrue(endpoint.embedded());
            assertTrue(endpoint.target().startsWith("in-process:"), endpoint.target());
            EnvSession session = client.open(new SessionRequest(SEED, Map.of(), 3, true));
            session.reset(7);
            session.step(new float[4][15]);
            assertEquals(15, session.rewardGradient(0).length);
            assertTrue(metrics(metricsPort).contains("method=\"Interact\""), "the server meters Interact calls");

            endpoint.close(); // its drain ends the open session's stream
            EnvCallException ended = assertThrows(EnvCallException.class, () -> session.step(new float[4][15]));
            assertEquals(Status.Code.UNAVAILABLE, ended.code(), ended.getMessage());
        }
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
