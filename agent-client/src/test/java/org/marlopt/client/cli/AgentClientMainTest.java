package org.marlopt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.io.Json;
import picocli.CommandLine;

/** The command line end to end against a loopback env server. */
class AgentClientMainTest {

    static EnvServerFixture env;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void startServer() throws IOException {
        AgentClientMain.configureRuntime();
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    @BeforeEach
    void clearOutputs() {
        errors.reset();
        output.reset();
    }

    /** Runs the command line against the fixture's server without metrics; stdout goes to {@link #output}. */
    private int run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--server", env.target(), "--metrics-port", "0"}, 0, all, args.length, 4);
        CommandLine commandLine = AgentClientMain.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        try {
            return commandLine.execute(all);
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            AgentClientMain.commandLine().getSubcommands().forEach((name, command) -> {
                String usage = command.getUsageMessage();
                assertTrue(usage.contains("Usage:"), name);
            });
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "a '%' in a description must be written '%%'");
    }

    @Test
    void trainThenEvaluateTheCheckpointWithReferencePolicies() throws IOException {
        Path config = dir.resolve("small.properties");
        Files.writeString(config, "numEnvs=32\nepisodes=10\nevalEpisodes=50\nparam.target=4.5\n");
        Path out = dir.resolve("run");
        assertEquals(0, run("train", "--config", config.toString(), "--episodes", "12", "--param", "target=4",
                "--out", out.toString()), errors::toString);
        JsonNode resolved = Json.MAPPER.readTree(out.resolve("config.json").toFile()).get("config");
        assertEquals(12, resolved.get("episodes").asInt(), "flags override the config file");
        assertEquals(32, resolved.get("numEnvs").asInt());
        assertEquals("4", resolved.get("envParams").get("target").asText(), "--param overrides param.target");

        assertEquals(0, run("train", "--resume", out.toString(), "--episodes", "15"), errors::toString);
        assertEquals(16, Files.readAllLines(out.resolve("episodes.csv")).size(), "resume writes into the run's CSV");
        Path more = dir.resolve("more");
        assertEquals(0, run("train", "--resume", out.toString(), "--episodes", "17", "--no-eval", "--out",
                more.toString()), errors::toString);
        assertEquals(18, Files.readAllLines(more.resolve("episodes.csv")).size(), "a new directory gets the whole CSV");

        Path json = dir.resolve("eval.json");
        assertEquals(0, run("evaluate", "--checkpoint", out.toString(), "--policy", "all", "--episodes", "50",
                "--json", json.toString()), errors::toString);
        JsonNode results = Json.MAPPER.readTree(json.toFile());
        assertEquals(1.0, results.get("oracle").get("one_step_success_rate").asDouble());
        assertTrue(results.has("learned") && results.has("zero"));
        assertEquals(50, results.get("learned").get("episodes").asInt());
        assertEquals(4.0, results.get("oracle").get("final_info").get("objective").asDouble(), 1e-4,
                "the checkpoint's environment parameters apply: target 4");
        assertReadableByAll(out);
        assertReadableByAll(json);
    }

    /** Everything a run writes is for other users and containers to read (0644 and 0755 under umask 022). */
    private static void assertReadableByAll(Path written) throws IOException {
        try (var paths = Files.walk(written)) {
            for (Path path : paths.toList()) {
                String others = PosixFilePermissions.toString(Files.getPosixFilePermissions(path)).substring(6);
                assertEquals(Files.isDirectory(path) ? "r-x" : "r--", others.replace('w', '-'), path + " for others");
            }
        }
    }

    @Test
    void shardsSplitEvaluationAndAreCheckedAgainstTheCopies() throws IOException {
        Path json = dir.resolve("sharded.json");
        assertEquals(0, run("evaluate", "--policy", "zero", "--episodes", "5", "--shards", "2", "--json",
                json.toString()), errors::toString);
        assertEquals(5, Json.MAPPER.readTree(json.toFile()).get("episodes").asInt());
        assertNotEquals(0, run("train", "--num-envs", "2", "--shards", "3", "--episodes", "1", "--out",
                dir.resolve("too-many").toString()));
        assertTrue(errors.toString().contains("--shards 3 is more than the 2 copies"), errors::toString);
    }

    @Test
    void aMalformedServerListNamesTheFlagAndTheForms() {
        CommandLine commandLine = AgentClientMain.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        assertNotEquals(0, commandLine.execute("envs", "--server", "127.0.0.1:50051,localhost", "--metrics-port", "0"));
        assertEquals("error: --server 127.0.0.1:50051,localhost, entry localhost: no port; write localhost:50051",
                errors.toString().strip());
    }

    /** No checkpoint is needed for a classical algorithm; the environment's score is reported. */
    @Test
    void evaluatingAClassicalPolicyReportsTheNormalisedScoreAndStepsToSuccess() throws IOException {
        Path json = dir.resolve("gradient-tracking.json");
        assertEquals(0, run("evaluate", "--env", "DistributedLeastSquares-v1", "--param", "max_episode_steps=400",
                "--policy", "gradient-tracking", "--episodes", "20", "--json", json.toString()), errors::toString);
        JsonNode result = Json.MAPPER.readTree(json.toFile());
        assertEquals("gradient-tracking", result.get("policy").asText());
        assertTrue(result.get("normalized_score").asDouble() > 0.999, result.toString());
        assertEquals(1.0, result.get("steps_to_success").get("reached_rate").asDouble(), result.toString());
        assertTrue(result.get("steps_to_success").get("max").asInt() < 400, result.toString());
        assertTrue(output.toString().contains("gradient-tracking"), output.toString());
    }

    @Test
    void envsListsEveryEnvironmentWithItsParametersAndPolicies() {
        assertEquals(0, run("envs"), errors::toString);
        String listing = output.toString();
        for (String expected : new String[] {"DistributedOptimization-v1", "ResourceShare-v1",
                "DistributedLeastSquares-v1", "num_agents", "integer in [2, 1024], default 8",
                "choice of [ring, complete, erdos_renyi], default ring", "zero, oracle", "gradient-tracking",
                "Toy-v0", "reward gradient: no", "score reference: 0 = zero, 1 = oracle (optimum)"}) {
            assertTrue(listing.contains(expected), "missing " + expected + " in\n" + listing);
        }
    }

    @Test
    void aFlagThatDoesNotParseGetsOneLineAndTheWayToTheUsage() {
        assertEquals(2, run("train", "--episodes", "abc"));
        assertEquals("error: Invalid value for option '--episodes': 'abc' is not an int\n"
                + "see: agent-client train --help", errors.toString().strip());
        errors.reset();
        assertEquals(2, run("evaluate", "--episode", "5"));
        assertEquals("error: Unknown options: '--episode', '5'; did you mean --episodes?\n"
                + "see: agent-client evaluate --help", errors.toString().strip());
    }

    @Test
    void badInputsFailWithActionableMessages() {
        assertEquals(1, run("train", "--set", "numEnvs=lots", "--out", dir.toString()));
        assertTrue(errors.toString().contains("numEnvs"), errors.toString());

        assertEquals(1, run("train", "--env", "ResourceShare-v1", "--param", "num_agent=4", "--out", dir.toString()));
        assertTrue(errors.toString().contains("unknown parameter 'num_agent' for ResourceShare-v1; did you mean "
                + "'num_agents'?"), errors.toString());
        assertFalse(Files.exists(dir.resolve("config.json")), "nothing is trained or written");

        assertEquals(1, run("evaluate", "--env", "DistributedLeastSquares-v1", "--param", "topology=rng",
                "--policy", "zero"));
        assertTrue(errors.toString().contains("bad value 'rng' for parameter 'topology'")
                && errors.toString().contains("did you mean 'ring'?"), errors.toString());

        assertEquals(1, run("evaluate", "--env", "ResourceShare-v1", "--param", "num_agents=5000", "--policy", "zero"));
        assertTrue(errors.toString().contains("integer in [2, 1024]"), errors.toString());

        assertEquals(1, run("evaluate", "--env", "DistributedLeastSqares-v1", "--policy", "zero"));
        assertTrue(errors.toString().contains("did you mean 'DistributedLeastSquares-v1'?"), errors.toString());

        assertEquals(1, run("evaluate", "--checkpoint", dir.resolve("absent").toString()));
        assertTrue(errors.toString().contains("does not exist"), errors.toString());

        assertEquals(1, run("evaluate", "--policy", "random"));
        assertTrue(errors.toString().contains("unknown policy 'random'"), errors.toString());

        assertEquals(1, run("evaluate", "--env", "ResourceShare-v1", "--policy", "oracle"));
        assertTrue(errors.toString().contains("unknown policy 'oracle' for ResourceShare-v1"), errors.toString());

        assertEquals(1, run("evaluate", "--policy", "zero", "--policy-setting", "step_size=0.1"));
        assertTrue(errors.toString().contains("none is chosen"), errors.toString());

        assertEquals(1, run("train", "--resume", dir.toString(), "--seed", "3"));
        assertTrue(errors.toString().contains("only --episodes"), errors.toString());
    }

    @Test
    void anUnknownAlgorithmFailsBeforeTrainingListingTheAvailableOnes() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(1, run("train", "--algo", "matd4", "--out", out.toString()));
        assertTrue(errors.toString().contains("unknown algorithm 'matd4'; available algorithms: reward-gradient"),
                errors.toString());
        assertFalse(Files.exists(out), "nothing is trained or written");

        assertEquals(0, run("train", "--algo", "reward-gradient", "--num-envs", "8", "--episodes", "2", "--no-eval",
                "--out", out.toString()), errors::toString);
        assertEquals("reward-gradient",
                Json.MAPPER.readTree(out.resolve("config.json").toFile()).get("config").get("algorithm").asText());
        assertEquals(1, run("train", "--resume", out.toString(), "--algo", "matd3", "--episodes", "3"));
        assertTrue(errors.toString().contains("was written by algorithm 'reward-gradient' and cannot be resumed "
                + "with 'matd3'"), errors.toString());
    }

    @Test
    void outOntoAnExistingRunIsRefusedUnlessResumedOrOverwritten() throws IOException {
        Path out = dir.resolve("run");
        String[] tinyRun = {"train", "--num-envs", "8", "--episodes", "2", "--no-eval", "--out", out.toString()};
        assertEquals(0, run(tinyRun), errors::toString);
        Files.writeString(out.resolve("notes.txt"), "mine");

        assertEquals(1, run(tinyRun));
        assertTrue(errors.toString().contains("already holds a run: continue it with --resume"), errors.toString());

        assertEquals(1, run("train", "--resume", out.toString(), "--overwrite"));
        assertTrue(errors.toString().contains("--overwrite would delete the run that --resume continues"),
                errors.toString());

        assertEquals(1, run("train", "--resume", out.toString()));
        assertTrue(errors.toString().contains("the run finished (all 2 rounds trained and evaluated"),
                errors.toString());

        String[] overwrite = java.util.Arrays.copyOf(tinyRun, tinyRun.length + 1);
        overwrite[tinyRun.length] = "--overwrite";
        assertEquals(0, run(overwrite), errors::toString);
        assertEquals(3, Files.readAllLines(out.resolve("episodes.csv")).size());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "--overwrite deletes only the run's files");
    }

    @Test
    void benchNeedsAMemoryRunLongerThanItsRssBaseline() {
        assertEquals(1, run("bench", "--memory-episodes", "1000", "--out", dir.toString()));
        assertTrue(errors.toString().contains("--memory-episodes") && errors.toString().contains("more than 1000"),
                errors.toString());
    }
}
