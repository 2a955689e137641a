package org.marlopt.envs.leastsquares;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.comm.CommGraph;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.envs.PolicyDriver;

/**
 * The independent check: {@link GradientTracking} driving {@value DistributedLeastSquares#ID} in
 * process must produce, iterate for iterate, what envs/src/test/python/check_gradient_tracking.py
 * computes with textbook matrix-form DIGing in numpy on the same data, graph and weights. The two
 * share no code: the script only gets the problem, W and the recorded estimates.
 */
class GradientTrackingNumpyCheckTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "envs/src/test/python/check_gradient_tracking.py";
    private static final String INSTALL = "run `bash scripts/install-test-deps.sh`";

    private static final int NUM_AGENTS = 6;
    private static final int DIM = 3;
    private static final int ROWS = 4;
    private static final double STEP_SIZE = 0.04;
    private static final int STEPS = 120;
    /** Erdos-Renyi rather than the ring: unequal degrees give unequal weights, a sharper check of W. */
    private static final Map<String, Object> PARAMS = Map.of("num_agents", NUM_AGENTS, "dim", DIM, "rows", ROWS,
            "topology", "erdos_renyi", "edge_probability", 0.5, "graph_seed", 7, "message_size", 2 * DIM,
            "max_episode_steps", STEPS + 1);

    private static Path root;
    private static Run run;

    /** What the fixture holds: the problem, the weights, and the estimates after every env step. */
    private record Run(double[] matrices, double[] targets, double[] start, double[][] weights, List<float[]> estimates,
                       double finalMeanGap) {}

    @BeforeAll
    static void runGradientTracking() throws IOException, InterruptedException {
        root = repositoryRoot();
        requireNumpy();
        SplittableRandom random = new SplittableRandom(2024);
        double[] matrices = random.doubles(NUM_AGENTS * ROWS * DIM, -1, 1).toArray();
        double[] targets = random.doubles(NUM_AGENTS * ROWS, -2, 2).toArray();
        double[] start = random.doubles(NUM_AGENTS * DIM, -1, 1).toArray();

        BatchedVectorEnv env = EnvRegistry.discover().make(DistributedLeastSquares.ID, PARAMS, VectorOptions.single());
        EnvSpec spec = env.spec().env();
        PolicyDriver driver = new PolicyDriver(env, new GradientTracking().create(spec, 1,
                Map.of("step_size", STEP_SIZE)));
        driver.reset(OptionalLong.of(0), Map.of("A", boxed(matrices), "b", boxed(targets), "x0", boxed(start)));
        List<float[]> estimates = new ArrayList<>();
        for (int step = 0; step <= STEPS; step++) {
            // after env step s the estimates are x^s (env step 0 is the handshake, which stays at x^0)
            estimates.add(Arrays.copyOf(driver.step().state(), NUM_AGENTS * DIM));
        }
        run = new Run(matrices, targets, start, denseWeights(spec.comm().graph()), estimates,
                driver.info("mean_gap", 0));
    }

    @Test
    void gradientTrackingMatchesTextbookDigingInNumpy() throws IOException, InterruptedException {
        assertTrue(run.finalMeanGap() < 1e-6, "the recorded run converges, so the check covers the whole "
                + "trajectory; mean gap " + run.finalMeanGap());
        Path fixture = writeFixture("gradient-tracking-check.json", run.estimates());
        Check check = runChecker(fixture);
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains((STEPS + 2) + " passed, 0 failed"), check.output());
    }

    @Test
    void checkerRejectsATrajectoryOneIterationBehind() throws IOException, InterruptedException {
        List<float[]> lagging = new ArrayList<>(run.estimates().subList(0, STEPS));
        lagging.add(0, run.estimates().get(0));
        Path fixture = writeFixture("gradient-tracking-check-lagging.json", lagging);
        Check check = runChecker(fixture);
        assertNotEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().matches("(?s).*\\d+ passed, [1-9]\\d* failed.*"), check.output());
    }

    /** The repository root: the first directory up from the working directory (envs/ under Maven) with the script. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in " + Path.of("").toAbsolutePath() + " or above; run "
                + "the test from the repository or its envs module");
    }

    private static void requireNumpy() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new AssertionError(PYTHON + " is missing: install python3, then " + INSTALL);
        }
        Check probe = execute(PYTHON, "-c", "import numpy");
        if (probe.exitCode() != 0) {
            throw new AssertionError("numpy is missing for " + PYTHON + " (Debian python3-numpy): " + INSTALL + "\n"
                    + probe.output());
        }
    }

    private record Check(int exitCode, String output) {}

    private static Check runChecker(Path fixture) throws IOException, InterruptedException {
        return execute(PYTHON, root.resolve(SCRIPT).toString(), fixture.toString());
    }

    /** Runs a command to completion (60 s at most), its output to a file rather than a pipe that could fill. */
    private static Check execute(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("check-gradient-tracking", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Check(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** W as the spec gives it: W[to][from] on each edge, the self-weights on the diagonal. */
    private static double[][] denseWeights(CommGraph graph) {
        double[][] weights = new double[graph.numAgents()][graph.numAgents()];
        for (CommGraph.Edge edge : graph.edges()) {
            weights[edge.to()][edge.from()] = edge.weight();
        }
        for (int agent = 0; agent < graph.numAgents(); agent++) {
            weights[agent][agent] = graph.weight(agent, agent);
        }
        return weights;
    }

    /**
     * The fixture as JSON, written by hand: the envs module has no JSON library, and the content
     * is a few flat lists of finite numbers. Double.toString round-trips every double exactly.
     */
    private static Path writeFixture(String name, List<float[]> estimates) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("\"num_agents\": ").append(NUM_AGENTS).append(",\n");
        json.append("\"rows\": ").append(ROWS).append(",\n");
        json.append("\"dim\": ").append(DIM).append(",\n");
        json.append("\"alpha\": ").append(STEP_SIZE).append(",\n");
        json.append("\"A\": ").append(list(run.matrices())).append(",\n");
        json.append("\"b\": ").append(list(run.targets())).append(",\n");
        json.append("\"x0\": ").append(list(run.start())).append(",\n");
        json.append("\"W\": [");
        for (int row = 0; row < run.weights().length; row++) {
            json.append(row == 0 ? "" : ", ").append(list(run.weights()[row]));
        }
        json.append("],\n\"trajectory\": [\n");
        for (int step = 0; step < estimates.size(); step++) {
            float[] x = estimates.get(step);
            double[] widened = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                widened[i] = x[i];
            }
            json.append(step == 0 ? "" : ",\n").append(list(widened));
        }
        json.append("]\n}\n");
        Path fixture = root.resolve("envs/target").resolve(name);
        Files.createDirectories(fixture.getParent());
        Files.writeString(fixture, json, StandardCharsets.UTF_8);
        return fixture;
    }

    private static String list(double[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalStateException("JSON has no " + values[i] + " (element " + i + ")");
            }
            out.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return out.append(']').toString();
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
