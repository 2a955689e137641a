package org.marlopt.client.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.EvaluationTable;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.EvaluateJob;
import org.marlopt.client.job.RunDirectory;
import org.marlopt.client.metrics.EvaluationMetrics;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.session.EnvParams;
import org.marlopt.client.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: scores policies on fresh seeded resets and prints a table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs policies on N fresh seeded resets of an environment and reports, per policy, the mean "
                + "return and episode length, the success rate and steps to success and the normalised score "
                + "where the environment defines them, the mean of every info key at episode end, and the "
                + "environment's own figures (the seed's one-step success).")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Trained agents: a checkpoint directory or a run directory holding one. They bring "
                    + "their environment and its parameters.")
    Path checkpoint;

    @Option(names = "--env", paramLabel = "ID",
            description = "Environment without a checkpoint (default: DistributedOptimization-v1).")
    String envId;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "An environment parameter (repeatable), over the checkpoint's; 'agent-client envs' lists them.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "learned", split = ",",
            description = "learned (needs --checkpoint), zero, oracle (seed only), a classical algorithm that "
                    + "supports the environment (e.g. gradient-tracking), or all; comma-separated for several "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--policy-setting", paramLabel = "KEY=VALUE",
            description = "A hyperparameter of the chosen classical policies (repeatable), e.g. step_size=0.05.")
    Map<String, String> policySettings = new LinkedHashMap<>();

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "1000",
            description = "Fresh resets per policy (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "First reset seed; episodes use SEED..SEED+N-1 (default: the run's evalSeed, 1000000000).")
    Long seed;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the results as JSON: one policy's keys at top level, several keyed by policy.")
    Path json;

    @Option(names = "--shards", paramLabel = "K", defaultValue = "0",
            description = "Split every session's copies into K sessions on streams of their own, so replicas "
                    + "(--server list or dns:///) share them; results are identical for every K; 0: one per "
                    + "replica the --server address resolves to, 1 for a single server (default: ${DEFAULT-VALUE}).")
    int shards;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        connection.validatePorts();
        Path checkpointDir = checkpoint == null ? null : RunDirectory.checkpointIn(checkpoint, "--checkpoint");
        String env = checkpointDir != null ? Checkpoint.config(checkpointDir).envId()
                : envId != null ? envId : TrainConfig.DEFAULT_ENV;
        EvaluateJob.Request request = new EvaluateJob.Request(checkpointDir, envId, params, policies,
                settings(), episodes, seed);
        connection.checkEnvironment(env, params);
        String runId = connection.runId != null ? connection.runId : "evaluate";
        try (MetricsServer metricsServer = connection.startMetrics(runId, env);
             EnvEndpoint endpoint = connection.endpoint();
             EnvClient client = connection.client(endpoint, metricsServer)) {
            client.setShards(shards);
            // a wrong environment or parameter fails now, before the engine loads
            EnvParams.parse(client.environment(env), params);
            List<EvaluationResult> results = EvaluateJob.run(client, request);
            results.forEach(new EvaluationMetrics(metricsServer.registry())::evaluated);
            System.out.print(EvaluationTable.format(results));
            if (json != null) {
                Json.write(json, results.size() == 1 ? results.get(0).toJson() : EvaluateJob.byPolicy(results));
            }
        }
        return 0;
    }

    private Map<String, Double> settings() {
        Map<String, Double> parsed = new LinkedHashMap<>();
        policySettings.forEach((key, value) -> {
            try {
                parsed.put(key, Double.valueOf(value.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--policy-setting " + key + "=" + value + ": a policy setting "
                        + "is a number");
            }
        });
        return parsed;
    }
}
