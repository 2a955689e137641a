package org.marlopt.client.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.grpc.EnvClient;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainConfig;

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
                     "DistributedOptimization-v1");
             EnvServerFixture env = new EnvServerFixture();
             EnvClient client = EnvClient.connect(env.target(), Duration.ofSeconds(10),
                     List.of(ClientMetrics.grpcInterceptor(metrics.registry())))) {
            ClientMetrics meters = new ClientMetrics(metrics.registry(), List.of("agent_0", "agent_1"), 100);
            meters.onEpisode(new EpisodeRecord(0, -0.25, 1, 0.75, new float[] {0.1f, 0.2f},
                    new float[] {1.5f, 2.5f}, 1e-3, 5, 64, 320, 0.01));
            new EvaluationMetrics(metrics.registry()).evaluated(new EvaluationResult("learned", 0.99, 1.0, 1.01, 0.02, -0.03, 1000, 7, null));
            meters.checkpointSaved();
            try (var session = Sessions.training(client, TrainConfig.defaults().with(java.util.Map.of("numEnvs", 4)))) {
                session.reset(1);
            }
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
                "agent=\"agent_1\"",
                "marl_agent_gradient_norm{",
                "marl_train_env_steps_total{",
                "marl_train_env_steps_per_second{",
                "marl_eval_one_step_success_rate{",
                "marl_eval_success_rate{",
                "marl_eval_mean_steps_to_solve{",
                "marl_eval_mean_abs_error_first_step{",
                "marl_eval_mean_return{",
                "policy=\"learned\"",
                "marl_checkpoint_saves_total{",
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
    }
}
