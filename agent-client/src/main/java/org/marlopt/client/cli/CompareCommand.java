package org.marlopt.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.job.CompareJob;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import picocli.CommandLine.Command;
import org.marlopt.security.ClientSecurityOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code compare}: trains every algorithm on every environment with every seed, then compares them. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs one 'train' per algorithm, environment and seed, one after the other, each in its own JVM "
                    + "(so each run's peak memory is its own) against one env server, with evaluations while "
                    + "training; then writes results.json, results.md (median and range over seeds of the final "
                    + "figures, env steps and time to the threshold, training time, peak RSS) and "
                    + "learning_curves.png under --out. See docs/benchmarks.md.",
            "Settings of a run: the environment's defaults < --settings section ALGO < section ALGO@ENV < --set."})
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--algos", split = ",", paramLabel = "NAME",
            description = "Algorithms to compare (default: every registered one: ${COMPLETION-CANDIDATES}).",
            completionCandidates = TrainCommand.AlgorithmNames.class)
    List<String> algorithms;

    @Option(names = "--envs", split = ",", paramLabel = "ID",
            defaultValue = "DistributedOptimization-v1,ResourceShare-v1",
            description = "Environments to train on (default: ${DEFAULT-VALUE}).")
    List<String> envs;

    @Option(names = "--seeds", split = ",", paramLabel = "N", defaultValue = "1,2,3",
            description = "Training seeds, one run each (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/compare",
            description = "Output directory: results, and each run under ALGO@ENV/seed-N (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A setting of every run, as train's --set (repeatable), e.g. --set episodes=200.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--settings", paramLabel = "FILE",
            description = "YAML or JSON file of settings per section ALGO or ALGO@ENV, e.g. "
                    + "'matd3@ResourceShare-v1: {episodes: 400}'.")
    Path settingsFile;

    @Option(names = "--java-option", paramLabel = "OPTION",
            description = "An option of every training JVM (repeatable), e.g. --java-option=-Xmx2g.")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Env server of every run (default: $ENV_SERVER_TARGET, or else one started in this JVM "
                    + "on a free loopback port).")
    String server;

    @Option(names = "--keep-finished",
            description = "Keep a run whose directory holds a finished run of the same resolved settings instead "
                    + "of training it again: an interrupted comparison continues, a changed section retrains only "
                    + "its runs.")
    boolean keepFinished;

    @Mixin
    ClientSecurityOptions security;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest wait of any run for an answer of the env server (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("--timeout must be > 0 seconds, got " + timeoutSeconds);
        }
        List<String> chosen = algorithms == null ? List.copyOf(Algorithms.names()) : algorithms;
        chosen.forEach(Algorithms::get); // an unknown name fails now, naming the registered ones
        GracefulStop stop = GracefulStop.install(System.out, "finishing the run in progress (it stops after its "
                + "round), then writing the results of the finished runs");
        Map<String, Map<String, Object>> sections = settingsFile == null ? Map.of()
                : CompareSettings.read(settingsFile);
        CompareJob.Request request = new CompareJob.Request(chosen, envs, seeds, settings, sections, javaOptions,
                Duration.ofSeconds(timeoutSeconds), out, keepFinished);
        try (EnvEndpoint endpoint = EnvEndpoint.resolveListening(server, 0);
             EnvClient client = EnvClient.connect(endpoint.target(), request.timeout(), List.of(),
                     ClientSecurityFlags.of(security, endpoint))) {
            List<CompareJob.Run> runs = new CompareJob(client, System.out, stop).run(request);
            if (stop.requested()) {
                return stop.exitCode();
            }
            boolean failed = runs.stream().anyMatch(run -> run.status() == CompareJob.Status.FAILED);
            return failed ? 1 : 0;
        }
    }
}
