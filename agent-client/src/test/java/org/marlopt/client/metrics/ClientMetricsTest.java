package org.marlopt.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.util.LinkedHashMap;
import java.util.Map;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.StepsToSuccess;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.train.EpisodeRecord;

/** The client's meters carry the names fixed by the team contract and are served on /metrics. */
class ClientMetricsTest {

    @Test
    void trainingEvaluationAndGrpcMetricsAreServedUnderTheirContractNames() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String scrape;
        try (MetricsServer metrics = MetricsServer.start("127.0.0.1", port, Duration.ZERO, "run-1", "reward-gradient",
                     "DistributedOptimization-v1", System.err);
             EnvServerFixture env = new EnvServerFixture();
             EnvClient client = EnvClient.connect(env.target(), Duration.ofSeconds(10),
                     List.of(ClientMetrics.grpcInterceptor(metrics.registry())))) {
            try (EnvSession session = client.open(new SessionRequest("DistributedOptimization-v1",
                    Map.of("num_agents", "2", "param_dim", "4"), 4, true))) {
                session.reset(1);
                ClientMetrics meters = new ClientMetrics(metrics.registry(), session.spec(), 100);
                meters.onEpisode(new EpisodeRecord(0, -0.25, new double[] {-0.25, -0.25}, 1, 0.75, Double.NaN,
                        new float[] {0.1f, 0.2f}, new float[] {1.5f, 2.5f}, 1e-3, 5, 64, 320, 0.01));
                meters.checkpointSaved();
                new ReconnectMetrics(metrics.registry()).recovered(Duration.ofMillis(2500));
            }
            Map<String, Object> seedKeys = new LinkedHashMap<>();
            seedKeys.put("one_step_success_rate", 0.99);
            seedKeys.put("mean_steps_to_solve", 1.01);
            seedKeys.put("mean_abs_error_first_step", 0.02);
            new EvaluationMetrics(metrics.registry()).evaluated(new EvaluationResult("learned", 1000, 7, -0.03, 1.01,
                    1.0, new StepsToSuccess(1.0, 1.01, 1.0, 3), null, Map.of("distance", 0.05), seedKeys, null,
                    new double[] {-0.03}, null));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            scrape = response.body();
        }
        for (String expected : List.of(
                "marl_episode_return_last{",
                "marl_episode_return_mean{",
                "marl_episode_length_steps_count{",
                "marl_episodes_total{",
                "outcome=\"solved\"",
                "outcome=\"unsolved\"",
                "marl_agent_loss{",
                "marl_agent_return_last{",
                "agent=\"agent_1\"",
                "marl_agent_gradient_norm{",
                "marl_train_env_steps_total{",
                "marl_train_env_steps_per_second{",
                "marl_eval_one_step_success_rate{",
                "marl_eval_success_rate{",
                "marl_eval_mean_steps_to_solve{",
                "marl_eval_mean_abs_error_first_step{",
                "marl_eval_mean_return{",
                "marl_eval_mean_episode_length{",
                "marl_eval_mean_steps_to_success{",
                "marl_eval_final_info{",
                "key=\"distance\"",
                "policy=\"learned\"",
                "marl_checkpoint_saves_total{",
                "marl_client_reconnects_total{",
                "marl_client_outage_seconds_max{",
                "grpc_client_processing_duration_seconds_bucket{",
                "jvm_memory_used_bytes{",
                "application=\"agent-client\"",
                "run=\"run-1\"",
                "algo=\"reward-gradient\"",
                "env=\"DistributedOptimization-v1\"")) {
            assertTrue(scrape.contains(expected), "missing " + expected + " in\n" + scrape);
        }
        assertTrue(scrape.contains("marl_train_env_steps_total{") && scrape.contains("} 320.0"), scrape);
        assertTrue(scrape.matches("(?s).*marl_episode_return_last\\{[^}]*} -0\\.25.*"), "negative return kept");
        assertTrue(!scrape.contains("marl_episode_score_last") && !scrape.contains("marl_eval_normalized_score"),
                "the seed environment declares no score");
    }

    @Test
    void aBusyPortIsReplacedByAFreeOneThatAWarningNames() throws Exception {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MetricsServer metrics = MetricsServer.start("127.0.0.1", busy.getLocalPort(), Duration.ZERO, "run-1",
                     "reward-gradient", "DistributedOptimization-v1",
                     new PrintStream(warnings, true, StandardCharsets.UTF_8))) {
            assertNotEquals(busy.getLocalPort(), metrics.port());
            assertTrue(metrics.port() > 0);
            assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("warning: metrics port "
                    + busy.getLocalPort() + " on 127.0.0.1 is in use") && warnings.toString(StandardCharsets.UTF_8)
                    .contains("serving /metrics on free port " + metrics.port()), warnings::toString);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        }
    }
}
