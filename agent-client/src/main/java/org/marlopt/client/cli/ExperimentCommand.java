package org.marlopt.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.marlopt.client.experiment.ExperimentConfig;
import org.marlopt.client.experiment.ExperimentJob;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import picocli.CommandLine.Command;
import org.marlopt.security.ClientSecurityOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code experiment}: a grid of algorithms x environments x seeds from one file, with its statistics. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the grid of algorithms (learned and classical) x environments x seeds that CONFIG (YAML or JSON) "
                    + "describes, up to 'workers' runs at once, each learned run in a JVM of its own against one "
                    + "env server. Run it again to continue: finished runs are kept, interrupted ones resume from "
                    + "their last checkpoint. Writes each run's directory under OUT/runs, then summary.json, "
                    + "summary.csv, summary.md (normalised scores: IQM, mean, median, optimality gap with 95%% "
                    + "stratified bootstrap intervals, probability of improvement), marl_eval.json and plots/. "
                    + "See docs/experiments.md."})
public final class ExperimentCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment's YAML or JSON file.")
    Path configFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: runs/experiment-NAME, NAME the config's name).")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Runs at once, over the config's 'workers'.")
    Integer workers;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Env server of every run (default: $ENV_SERVER_TARGET, or else one started in this JVM "
                    + "on a free loopback port).")
    String server;

    @Mixin
    ClientSecurityOptions security;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest wait of any run for an answer of the env server (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between two status lines of the grid (default: ${DEFAULT-VALUE}).")
    long progressSeconds;

    @Option(names = "--report-only",
            description = "Run nothing: write the summary of the runs that finished so far (a long grid's results "
                    + "while it runs, or after it was cut short).")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds <= 0 || progressSeconds <= 0) {
            throw new IllegalArgumentException("--timeout and --progress-every must be > 0 seconds");
        }
        ExperimentConfig config = ExperimentConfig.read(configFile);
        if (workers != null) {
            config = new ExperimentConfig(config.name(), config.seeds(), workers, config.javaOptions(),
                    config.settings(), config.environments(), config.algorithms(), config.overrides());
        }
        Path dir = out != null ? out : Path.of("runs", "experiment-" + config.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        GracefulStop stop = GracefulStop.install(System.out, "starting no more runs; those in progress stop after "
                + "their round with a checkpoint, then the summary so far is written");
        try (EnvEndpoint endpoint = EnvEndpoint.resolveListening(server, 0);
             EnvClient client = EnvClient.connect(endpoint.target(), timeout, List.of(),
                     ClientSecurityFlags.of(security, endpoint))) {
            boolean finished = new ExperimentJob(client, System.out, timeout, progressSeconds, stop)
                    .run(config, dir, reportOnly);
            if (stop.requested()) {
                System.out.println("stopped by " + stop.signalName() + ": run the same command again to continue "
                        + "(finished runs are kept, stopped ones resume from their last checkpoint)");
                return stop.exitCode();
            }
            return finished ? 0 : 1;
        }
    }
}
