package org.marlopt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.ToyEnv;
import org.marlopt.client.io.CompareChart;
import org.marlopt.client.io.EvaluationCsv;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.CompareJob;
import org.marlopt.client.job.TrainJob;
import picocli.CommandLine;

/** compare end to end: tiny runs in child JVMs against a loopback env server, then the aggregate. */
class CompareCommandTest {

    /** Two rounds of 8 copies, evaluated after each on 10 resets: seconds per run, mostly JVM start. */
    static final List<String> QUICK = List.of("--set", "episodes=2", "--set", "numEnvs=8",
            "--set", "evalEveryEpisodes=10", "--set", "evalEpisodes=10");

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

    /** Runs {@code compare} against the fixture's server, writing into {@link #dir}. */
    private int compare(List<String> quick, String... args) {
        List<String> all = new ArrayList<>(List.of("compare", "--out", dir.toString(), "--server", env.target()));
        all.addAll(quick);
        all.addAll(List.of(args));
        CommandLine commandLine = AgentClientMain.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        try {
            return commandLine.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
    }

    private JsonNode results() throws IOException {
        return Json.MAPPER.readTree(dir.resolve(CompareJob.RESULTS_JSON).toFile());
    }

    @Test
    void twoSeedsAreAggregatedWithCurvesAndAnAlgorithmThatCannotRunIsSkipped() throws IOException {
        assertEquals(0, compare(QUICK, "--algos", "reward-gradient", "--envs",
                "DistributedOptimization-v1," + ToyEnv.ID, "--seeds", "1,2"), () -> errors + "\n" + output);

        JsonNode seed = results().get("environments").get(0);
        assertEquals("DistributedOptimization-v1", seed.get("env").asText());
        assertEquals("one_step_success", seed.get("metric").asText());
        assertEquals(0.9, seed.get("threshold").asDouble());
        assertEquals("oracle", seed.get("best_classical").get("policy").asText());
        assertEquals(1.0, seed.get("best_classical").get("value").asDouble());
        JsonNode learned = seed.get("algorithms").get(0);
        assertEquals("reward-gradient", learned.get("algorithm").asText());
        assertEquals(List.of(1L, 2L), List.of(learned.get("seeds").get(0).asLong(), learned.get("seeds").get(1).asLong()));
        JsonNode oneStep = learned.get("final").get("one_step_success");
        assertTrue(oneStep.get("min").asDouble() >= 0 && oneStep.get("max").asDouble() <= 1, oneStep.toString());
        assertTrue(learned.get("final").get("score").isNull(), "the seed declares no score");
        assertEquals(2 * 8 * 5, learned.get("env_steps").get("median").asLong(), "2 rounds of 8 copies x 5 steps");
        assertTrue(learned.get("training_seconds").get("min").asDouble() > 0);
        assertTrue(learned.get("peak_rss_mb").get("min").asDouble() > 50, "each child JVM's own peak");
        assertEquals("[40.0,80.0]", learned.get("curve").get("env_steps").toString(),
                "evalEverySteps defaults to 1/20 of the run's 80 env steps: an evaluation after each round");
        assertEquals(2, learned.get("to_threshold").get("of").asInt());
        assertEquals(seed.get("reward_gradient").get("value").asDouble(), oneStep.get("median").asDouble());
        JsonNode iqm = learned.get("final_aggregates").get("iqm");
        assertEquals((oneStep.get("min").asDouble() + oneStep.get("max").asDouble()) / 2, iqm.get("value").asDouble(),
                1e-9, "two seeds: nothing is trimmed, the IQM is their mean");
        assertEquals(oneStep.get("min").asDouble(), iqm.get("ci_low").asDouble(), 1e-9,
                "a resample of two seeds can be the lower one twice");
        assertEquals(oneStep.get("max").asDouble(), iqm.get("ci_high").asDouble(), 1e-9);
        assertTrue(learned.get("final_aggregates").has("optimality_gap"), learned.toString());

        JsonNode toy = results().get("environments").get(1);
        assertTrue(toy.get("algorithms").isEmpty(), toy.toString());
        JsonNode runs = results().get("runs");
        assertEquals(4, runs.size());
        assertEquals("finished", runs.get(0).get("status").asText());
        assertEquals("skipped", runs.get(2).get("status").asText());
        assertTrue(runs.get(2).get("note").asText().contains("Toy-v0 does not provide"), runs.get(2).toString());

        Path run = dir.resolve("reward-gradient@DistributedOptimization-v1/seed-2");
        assertEquals(2, EvaluationCsv.read(run.resolve(TrainJob.EVALUATIONS_FILE)).size());
        assertEquals(2, Json.MAPPER.readTree(run.resolve(TrainJob.CONFIG_FILE).toFile()).get("config").get("seed")
                .asInt());

        String markdown = Files.readString(dir.resolve(CompareJob.RESULTS_MD));
        assertTrue(markdown.contains("## DistributedOptimization-v1"), markdown);
        assertTrue(markdown.contains("| reward-gradient | 2 | "), markdown);
        assertTrue(markdown.contains("Best classical: oracle 1.000"), markdown);
        assertTrue(markdown.contains("| algorithm | iqm | mean | median | optimality_gap |"), markdown);
        assertTrue(markdown.contains("reward-gradient on Toy-v0, seed 1: skipped, reward-gradient trains on the "
                + "reward gradient, which Toy-v0 does not provide"), markdown);
        BufferedImage png = ImageIO.read(dir.resolve(CompareJob.CURVES_PNG).toFile());
        assertEquals(CompareChart.PANEL_WIDTH, png.getWidth(), "one panel: no run finished on Toy-v0");
        assertEquals(CompareChart.PANEL_HEIGHT, png.getHeight());
    }

    /** A second comparison keeps the finished run of unchanged settings and retrains the one whose settings changed. */
    @Test
    void keepFinishedRetrainsOnlyRunsWhoseSettingsChanged() throws IOException {
        assertEquals(0, compare(QUICK, "--algos", "reward-gradient", "--envs", "DistributedOptimization-v1",
                "--seeds", "1,2"), () -> errors + "\n" + output);
        Path first = dir.resolve("reward-gradient@DistributedOptimization-v1/seed-1").resolve(TrainJob.CONFIG_FILE);
        String firstStarted = Json.MAPPER.readTree(first.toFile()).get("started_at").asText();
        output.reset();
        Path settings = dir.resolve("compare.yaml");
        Files.writeString(settings, "reward-gradient@DistributedOptimization-v1:\n  learningRate: 0.003\n");
        assertEquals(0, compare(QUICK, "--algos", "reward-gradient", "--envs", "DistributedOptimization-v1",
                "--seeds", "1,2", "--keep-finished"), () -> errors + "\n" + output);
        assertTrue(output.toString().contains("seed 1: kept, finished before with the same settings"), output::toString);
        assertEquals(firstStarted, Json.MAPPER.readTree(first.toFile()).get("started_at").asText());
        output.reset();
        assertEquals(0, compare(QUICK, "--algos", "reward-gradient", "--envs", "DistributedOptimization-v1",
                "--seeds", "1", "--keep-finished", "--settings", settings.toString()), () -> errors + "\n" + output);
        assertTrue(output.toString().contains("seed 1: finished in"), output::toString);
        assertEquals(1, results().get("environments").get(0).get("algorithms").get(0).get("seeds").size(),
                "only seed 1 was asked for this time");
    }

    @Test
    void settingsFileSectionsApplyPerAlgorithmAndEnvironmentBelowSet() throws IOException {
        Path settings = dir.resolve("compare.yaml");
        Files.writeString(settings, """
                reward-gradient:
                  episodes: 3
                  numEnvs: 4
                reward-gradient@DistributedOptimization-v1:
                  numEnvs: 6
                  evalEverySteps: 48
                reward-gradient@ResourceShare-v1:
                  numEnvs: 100
                """);
        assertEquals(0, compare(List.of("--set", "evalEveryEpisodes=10", "--set", "evalEpisodes=10"), "--algos",
                "reward-gradient", "--envs", "DistributedOptimization-v1", "--seeds", "7", "--settings",
                settings.toString(), "--set", "lrSchedule=constant"), () -> errors + "\n" + output);

        JsonNode config = Json.MAPPER.readTree(dir.resolve("reward-gradient@DistributedOptimization-v1/seed-7")
                .resolve(TrainJob.CONFIG_FILE).toFile()).get("config");
        assertEquals(3, config.get("episodes").asInt(), "the algorithm's section");
        assertEquals(6, config.get("numEnvs").asInt(), "algo@env wins over algo");
        assertEquals(48, config.get("evalEverySteps").asLong(), "a section's evalEverySteps is kept");
        assertEquals("constant", config.get("lrSchedule").asText(), "--set");
        assertEquals(7, config.get("seed").asInt());
        List<Integer> rounds = EvaluationCsv.read(dir.resolve("reward-gradient@DistributedOptimization-v1/seed-7")
                .resolve(TrainJob.EVALUATIONS_FILE)).stream().map(EvaluationCsv.Row::round).toList();
        assertEquals(List.of(2, 3), rounds, "6 copies x 5 steps: round 2 crosses 48 env steps, round 3 is the last");
    }

    /**
     * A systems environment's episode figures (info keys beginning with episode_) are compared for
     * every classical policy and the learned one: here LoadBalance-v1 with 20-epoch episodes.
     */
    @Test
    void episodeFiguresAreTabulatedForEveryPolicy() throws IOException {
        assertEquals(0, compare(QUICK, "--algos", "mappo", "--envs", "LoadBalance-v1", "--seeds", "1",
                "--set", "param.max_episode_steps=20", "--set", "algo.minibatches=2"), () -> errors + "\n" + output);

        JsonNode lb = results().get("environments").get(0);
        JsonNode policies = lb.get("policy_episode_figures");
        for (String policy : List.of("round-robin", "proportional", "jsq", "power-of-two", "least-work-left")) {
            assertTrue(policies.get(policy).get("episode_mean_response_time").asDouble() > 0, policies.toString());
        }
        assertTrue(policies.get("jsq").get("episode_time_in_system").asDouble()
                < policies.get("round-robin").get("episode_time_in_system").asDouble(), policies.toString());
        JsonNode learned = lb.get("algorithms").get(0).get("episode_figures");
        assertTrue(learned.get("episode_p99_response_time").get("median").asDouble() > 0, learned.toString());
        String markdown = Files.readString(dir.resolve(CompareJob.RESULTS_MD));
        assertTrue(markdown.contains("| policy | mean_response_time | p99_response_time | jobs_completed | "
                + "time_in_system |"), markdown);
        assertTrue(markdown.contains("| learned (mappo) | "), markdown);
    }

    @Test
    void aRunThatFailsIsReportedAndMakesTheExitCodeNonZero() throws IOException {
        assertEquals(1, compare(QUICK, "--algos", "reward-gradient", "--envs", "DistributedOptimization-v1",
                "--seeds", "1", "--java-option=-Xmx1m"), () -> errors + "\n" + output);

        JsonNode run = results().get("runs").get(0);
        assertEquals("failed", run.get("status").asText());
        assertTrue(run.get("note").asText().startsWith("exit code 1: "), run.toString());
        assertTrue(results().get("environments").get(0).get("algorithms").isEmpty());
        assertFalse(Files.exists(dir.resolve(CompareJob.CURVES_PNG)), "no finished run, no curves");
        assertTrue(Files.readString(dir.resolve(CompareJob.RESULTS_MD)).contains("No run finished."));
    }

    @Test
    void settingsThatCannotWorkFailBeforeAnyRun() throws IOException {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "mapo:\n  episodes: 3\n");
        assertEquals(1, compare(QUICK, "--settings", typo.toString()));
        assertTrue(errors.toString().contains("section 'mapo' must be named ALGO or ALGO@ENV; unknown algorithm "
                + "'mapo'"), errors::toString);

        errors.reset();
        assertEquals(1, compare(QUICK, "--set", "seed=3"));
        assertTrue(errors.toString().contains("--set sets 'seed', which compare sets for each run"), errors::toString);

        errors.reset();
        assertEquals(1, compare(QUICK, "--algos", "reward-gradient", "--set", "evalEverySteps=0"));
        assertTrue(errors.toString().contains("evalEverySteps=0 leaves the run without a learning curve"),
                errors::toString);

        errors.reset();
        assertEquals(1, compare(QUICK, "--algos", "reward-gradient", "--set", "episodez=3"));
        assertTrue(errors.toString().contains("reward-gradient on DistributedOptimization-v1: unknown setting "
                + "'episodez'"), errors::toString);
        assertFalse(Files.exists(dir.resolve("reward-gradient@DistributedOptimization-v1")), "nothing ran");
    }
}
