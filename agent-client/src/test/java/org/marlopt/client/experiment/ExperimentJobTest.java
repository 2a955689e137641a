package org.marlopt.client.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.experiment.ExperimentPlan.Run;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.job.TrainJob;

/**
 * A tiny grid end to end (2 learned algorithms and the best classical policy x 1 environment x 2
 * seeds, runs of a few seconds, mostly JVM start): one run interrupted after its first
 * checkpoint resumes exactly, a second invocation keeps every run, and the summary files hold
 * what they promise.
 */
class ExperimentJobTest {

    static final String TINY = """
            name: tiny
            seeds: [1, 2]
            workers: 2
            settings: {episodes: 4, numEnvs: 4, evalEveryEpisodes: 4, evalEpisodes: 8, checkpointEvery: 2}
            environments:
              - id: DistributedLeastSquares-v1
                params: {max_episode_steps: 20}
            algorithms:
              - reward-gradient
              - mappo
              - classical: best
            """;

    static EnvServerFixture env;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        AgentClientMain.configureRuntime();
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    static ExperimentConfig config(String yaml) throws IOException {
        return ExperimentConfig.parse(new YAMLMapper().readValue(yaml, Map.class), "test");
    }

    private String run(ExperimentConfig config, Path out) throws Exception {
        return run(config, out, false, true);
    }

    private String run(ExperimentConfig config, Path out, boolean reportOnly, boolean allFinish) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        boolean finished = new ExperimentJob(env.client, new PrintStream(console, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(60), 3600, GracefulStop.never()).run(config, out, reportOnly);
        String output = console.toString(StandardCharsets.UTF_8);
        assertEquals(allFinish, finished, output);
        return output;
    }

    @Test
    void aReportOnlyInvocationRunsNothingAndListsTheRunsNotFinished() throws Exception {
        Path out = dir.resolve("experiment");
        run(config(TINY), out, true, false);
        assertTrue(Files.notExists(out.resolve("runs")), "nothing ran");
        String summary = Files.readString(out.resolve(ExperimentReport.SUMMARY_MD));
        assertTrue(summary.contains("Not finished yet (5 runs, left out above): reward-gradient on "
                + "DistributedLeastSquares-v1[max_episode_steps=20] (seeds 1, 2); mappo on"), summary);
        assertEquals(5, Json.MAPPER.readTree(out.resolve(ExperimentReport.SUMMARY_JSON).toFile()).get("pending")
                .size());
    }

    @Test
    void aTinyGridResumesAnInterruptedRunExactlyKeepsFinishedOnesAndSummarises() throws Exception {
        ExperimentConfig config = config(TINY);
        Path out = dir.resolve("experiment");
        ExperimentPlan plan = ExperimentPlan.of(config, env.client, out);
        Run interrupted = plan.runs().stream().filter(r -> r.algorithm().name().equals("mappo") && r.seed() == 1)
                .findFirst().orElseThrow();
        interruptAfterThreeRounds(interrupted, plan);

        String first = run(config, out);
        assertTrue(first.contains("mappo on " + interrupted.env().label() + ", seed 1: resumed from its checkpoint"),
                first);
        assertTrue(first.contains("[5/5 runs, 100%"), first);

        Path reference = dir.resolve("uninterrupted");
        new TrainJob(env.client, null, new PrintStream(PrintStream.nullOutputStream()), false)
                .train(interrupted.config(), reference, "reference");
        assertEquals(withoutWallTime(reference), withoutWallTime(interrupted.dir()),
                "the resumed run's evaluations are the uninterrupted run's");
        assertEquals(absoluteEvaluation(reference), absoluteEvaluation(interrupted.dir()));

        JsonNode summary = Json.MAPPER.readTree(out.resolve(ExperimentReport.SUMMARY_JSON).toFile());
        assertSummary(summary, interrupted.env().label());
        assertMarlEval(out, interrupted.env().label());
        for (String chart : List.of("curves", "intervals", "profiles")) {
            Path png = out.resolve(ExperimentReport.PLOTS_DIR).resolve(ExperimentPlan.fileName(
                    interrupted.env().label()) + "-" + chart + ".png");
            assertTrue(ImageIO.read(png.toFile()).getWidth() > 0, png + " is an image");
        }
        String csv = Files.readString(out.resolve(ExperimentReport.SUMMARY_CSV));
        assertTrue(csv.startsWith("scope,algorithm,runs,statistic,value,ci_low,ci_high\n"), csv);
        assertTrue(csv.contains(",mappo,2,iqm,"), csv);
        assertTrue(Files.readString(out.resolve(ExperimentReport.SUMMARY_MD)).contains("| mappo | 2 |"));

        String second = run(config, out);
        assertEquals(5, second.split("kept, finished before with the same settings", -1).length - 1, second);
        assertEquals(summary.get("scopes"), Json.MAPPER.readTree(out.resolve(ExperimentReport.SUMMARY_JSON).toFile())
                .get("scopes"), "a second invocation changes nothing");
        run(config, out, true, true);
        assertEquals(summary.get("scopes"), Json.MAPPER.readTree(out.resolve(ExperimentReport.SUMMARY_JSON).toFile())
                .get("scopes"), "a report-only invocation summarises the same runs");
    }

    /** Leaves what a run killed in its third round leaves: its settings, the round-2 checkpoint, three CSV rows. */
    private static void interruptAfterThreeRounds(Run run, ExperimentPlan plan) throws IOException {
        RunExecutor.startAfresh(run.dir(), RunExecutor.settingsOf(run, plan.envOf(run)));
        TrainJob job = new TrainJob(env.client, null, new PrintStream(PrintStream.nullOutputStream()), false)
                .withListener(record -> {
                    if (record.episode() == 2) {
                        throw new IllegalStateException("killed");
                    }
                });
        assertThrows(IllegalStateException.class, () -> job.train(run.config(), run.dir(), "interrupted"));
        assertTrue(Files.isDirectory(run.dir().resolve(TrainJob.CHECKPOINT_DIR)));
        assertTrue(Files.notExists(run.dir().resolve(TrainJob.ABSOLUTE_METRIC_FILE)));
    }

    private static List<String> withoutWallTime(Path runDir) throws IOException {
        return Files.readAllLines(runDir.resolve(TrainJob.EVALUATIONS_FILE)).stream()
                .map(line -> line.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1")).toList();
    }

    private static JsonNode absoluteEvaluation(Path runDir) throws IOException {
        return Json.MAPPER.readTree(runDir.resolve(TrainJob.ABSOLUTE_METRIC_FILE).toFile()).get("evaluation");
    }

    private static void assertSummary(JsonNode summary, String envLabel) {
        JsonNode scope = summary.get("scopes").get(0);
        assertEquals(envLabel, scope.get("scope").asText());
        assertEquals(List.of("reward-gradient", "mappo", "best-classical"),
                iterable(scope.get("algorithms")).stream().map(a -> a.get("algorithm").asText()).toList());
        for (JsonNode algorithm : scope.get("algorithms")) {
            for (String aggregate : List.of("iqm", "mean", "median", "optimality_gap")) {
                JsonNode estimate = algorithm.get(aggregate);
                assertTrue(estimate.get("ci_low").asDouble() <= estimate.get("value").asDouble()
                        && estimate.get("value").asDouble() <= estimate.get("ci_high").asDouble(), algorithm.toString());
            }
        }
        JsonNode improvement = scope.get("probability_of_improvement");
        double mappoOverRg = improvement.get("mappo").get("reward-gradient").get("value").asDouble();
        double rgOverMappo = improvement.get("reward-gradient").get("mappo").get("value").asDouble();
        assertEquals(1.0, mappoOverRg + rgOverMappo, 1e-9, "P(X > Y) + P(Y > X) = 1 (ties count a half)");
        assertEquals("score_key", summary.get("environments").get(envLabel).get("normalisation").get("method")
                .asText());
        assertEquals(5, summary.get("runs").size());
    }

    private static void assertMarlEval(Path out, String envLabel) throws IOException {
        JsonNode task = Json.MAPPER.readTree(out.resolve(ExperimentReport.MARL_EVAL_JSON).toFile())
                .get("marlopt").get(envLabel);
        JsonNode run = task.get("mappo").get("seed_2");
        assertEquals(4, run.get("step_0").get("return").size(), "every episode of a periodic evaluation");
        assertTrue(run.get("step_0").get("step_count").asLong() > 0);
        assertEquals(40, run.get("absolute_metrics").get("return").size(), "10 x the periodic episodes");
        assertEquals(40, task.get("best-classical").get("seed_0").get("absolute_metrics").get("normalised_score")
                .size());
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}
