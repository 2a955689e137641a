package org.marlopt.client.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.EvaluationTable;
import org.marlopt.client.grpc.EnvClient;
import org.marlopt.client.grpc.EnvEndpoint;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.EvaluateJob;
import org.marlopt.client.metrics.ClientMetrics;
import org.marlopt.client.metrics.EvaluationMetrics;
import org.marlopt.client.metrics.MetricsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: scores policies on fresh seeded resets and prints a table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs greedy policies on N fresh seeded resets and reports one-step success, success, "
                + "mean steps to solve (over solved episodes), mean |error| after the first step and mean return.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Trained agents: a checkpoint directory or a run directory holding one.")
    Path checkpoint;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "learned", split = ",",
            description = "learned, zero, oracle, or all; comma-separated for several (default: ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "1000",
            description = "Fresh resets per policy (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "First reset seed; episodes use SEED..SEED+N-1 (default: the run's evalSeed, 1000000000).")
    Long seed;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the results as JSON: one policy's keys at top level, several keyed by policy.")
    Path json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = policies.contains("all") ? EvaluateJob.POLICIES : policies;
        for (String policy : chosen) {
            if (!EvaluateJob.POLICIES.contains(policy)) {
                throw new IllegalArgumentException("unknown policy '" + policy + "'; choose from " + EvaluateJob.POLICIES
                        + " or all");
            }
        }
        connection.validatePorts();
        String runId = connection.runId != null ? connection.runId : "evaluate";
        try (MetricsServer metricsServer = connection.startMetrics(runId);
             EnvEndpoint endpoint = EnvEndpoint.resolve(connection.server, connection.embeddedServerMetricsPort);
             EnvClient client = EnvClient.connect(endpoint.target(), connection.timeout(),
                     List.of(ClientMetrics.grpcInterceptor(metricsServer.registry())))) {
            Path checkpointDir = checkpoint == null ? null : TrainCommand.checkpointDir(checkpoint);
            List<EvaluationResult> results = EvaluateJob.run(client, checkpointDir, chosen, episodes, seed);
            results.forEach(new EvaluationMetrics(metricsServer.registry())::evaluated);
            System.out.print(EvaluationTable.format(results));
            if (json != null) {
                Json.write(json, results.size() == 1 ? results.get(0) : byPolicy(results));
            }
        }
        return 0;
    }

    private static Map<String, EvaluationResult> byPolicy(List<EvaluationResult> results) {
        Map<String, EvaluationResult> map = new LinkedHashMap<>();
        results.forEach(result -> map.put(result.policy(), result));
        return map;
    }
}
