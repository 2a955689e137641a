package org.marlopt.system.scaleout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The small, fixed training the scale-out tests compare: reward-gradient (the default algorithm) on the
 * seed environment (DistributedOptimization-v1, the default env), 12 copies, 120 rounds of its 5 steps
 * (7,200 env steps), seed 7, no evaluation, one checkpoint at the end.
 */
final class SeedTraining {

    static final int NUM_ENVS = 12;
    static final int EPISODES = 120;
    static final int STEPS_PER_ROUND = 5;
    static final long ENV_STEPS = (long) NUM_ENVS * EPISODES * STEPS_PER_ROUND;
    /**
     * Env steps the replicas count before one is killed: 40 % of the run (round 48 of 120). The kill is
     * timed by the servers' step counters, not by episodes.csv: the client writes the CSV through
     * buffers (about 16 KiB), so its first rows show only about 100 rounds in.
     */
    static final double STEPS_BEFORE_KILL = 0.4 * ENV_STEPS;
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

    private SeedTraining() {
    }

    /** train's flags for the seed run against {@code server}, plus {@code more}. */
    static List<String> args(String server, String... more) {
        List<String> args = new ArrayList<>(List.of("--server", server,
                "--seed", "7", "--num-envs", Integer.toString(NUM_ENVS), "--episodes", Integer.toString(EPISODES),
                "--no-eval", "--checkpoint-every", "0", "--retry-budget", "60", "--timeout", "30"));
        args.addAll(List.of(more));
        return args;
    }

    /** Fails with the reason when train rejected a flag the client branch adds. */
    static String explain(TrainRun run) {
        String output = run.output();
        if (output.contains("--shards") && output.toLowerCase().contains("unknown option")) {
            return "the agent client does not know --shards yet (the scale-out client branch adds it): "
                    + output.lines().filter(line -> line.toLowerCase().contains("unknown option")).findFirst()
                            .orElse("") + "\n" + run.logTail();
        }
        return run.logTail();
    }

    static Path dir(Path root, String name) {
        return root.resolve(name);
    }
}
