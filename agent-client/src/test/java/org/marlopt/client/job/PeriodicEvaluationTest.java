package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.io.EvaluationCsv;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.io.Json;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * Evaluations while training (evalEverySteps), evaluations.csv, checkpoint-best, absolute_metric.json
 * and summary.json, against a loopback env server.
 */
class PeriodicEvaluationTest {

    /** Env steps in one of {@link #SEED}'s rounds: 64 copies x 5 steps. */
    static final long ROUND = 64 * 5;
    /** The seed: 64 copies, 5 updates per round, evaluated every 10 rounds on 50 fresh resets. */
    static final TrainConfig SEED = TrainConfig.defaults().with(Map.of("numEnvs", 64, "episodes", 25,
            "evalEverySteps", 10 * ROUND, "evalEveryEpisodes", 50, "evalEpisodes", 50, "checkpointEvery", 0,
            "lrSchedule", "constant"));

    /**
     * A fast learning rate whose one-step success ties at 0.15 after rounds 6, 10 and 12 (of 2-round
     * evaluations on 20 resets): the best is round 10's, on the mean return, before the last.
     */
    static final TrainConfig BUMPY = SEED.with(Map.of("episodes", 12, "learningRate", 0.03,
            "evalEverySteps", 2 * ROUND, "evalEveryEpisodes", 20, "evalEpisodes", 20));

    static EnvServerFixture env;
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    private static TrainJob job(EnvClient client) {
        return new TrainJob(client, null, QUIET, false);
    }

    @Test
    void rowsFollowTheRoundsThatReachEachMultipleOfEvalEveryStepsAndTheLastMatchesTheFinalEvaluation()
            throws IOException {
        // 1000 steps is not a whole number of 320-step rounds: round 4 (1280 steps) crosses 1000,
        // round 7 (2240) crosses 2000, ..., round 25 reaches 8000 exactly and is the last
        TrainJob.Outcome outcome = job(env.client).train(SEED.with(Map.of("evalEverySteps", 1000)), dir, "periodic");

        List<EvaluationCsv.Row> rows = EvaluationCsv.read(dir.resolve(TrainJob.EVALUATIONS_FILE));
        assertEquals(List.of(4, 7, 10, 13, 16, 19, 22, 25), rows.stream().map(EvaluationCsv.Row::round).toList());
        for (EvaluationCsv.Row row : rows) {
            assertEquals(row.round() * ROUND, row.envSteps(), "64 copies x 5 steps per round");
            EvaluationFigures f = row.figures();
            assertTrue(f.success() >= 0 && f.success() <= 1, "success " + f.success());
            assertTrue(f.oneStepSuccess() >= 0 && f.oneStepSuccess() <= 1, "one-step " + f.oneStepSuccess());
            assertTrue(f.meanReturn() < 0, "the seed's reward is -|target - sum|: " + f.meanReturn());
            assertTrue(Double.isNaN(f.score()), "the seed declares no score");
        }
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).wallSeconds() < rows.get(i).wallSeconds());
        }
        EvaluationCsv.Row lastRow = rows.get(rows.size() - 1);
        List<String> episodes = Files.readAllLines(dir.resolve(TrainJob.EPISODES_FILE));
        String lastEpisode = episodes.get(episodes.size() - 1);
        assertEquals(Double.parseDouble(lastEpisode.substring(lastEpisode.lastIndexOf(',') + 1)),
                lastRow.wallSeconds(), 1e-9, "both CSVs read the same training clock");
        assertTrue(lastRow.wallSeconds() <= outcome.trainingSeconds());

        // the final evaluation ran on the same 50 seeds with the same agents: the last row must agree
        EvaluationResult last = outcome.evaluation();
        assertEquals(last.meanReturn(), lastRow.figures().meanReturn(), 1e-5 * Math.abs(last.meanReturn()));
        assertEquals((Double) last.environmentKeys().get("one_step_success_rate"),
                lastRow.figures().oneStepSuccess(), 1e-6);
        assertEquals(last.successRate(), lastRow.figures().success(), 1e-6);
    }

    @Test
    void theSummaryHoldsTimeStepsPeakMemoryAndTheFinalFigures() throws IOException {
        TrainJob.Outcome outcome = job(env.client).train(SEED.with(Map.of("episodes", 5)), dir, "summary");

        RunSummary summary = RunSummary.read(dir);
        assertEquals(outcome.trainingSeconds(), summary.trainingSeconds(), 1e-9);
        assertTrue(summary.evaluationSeconds() > 0, "the evaluation after round 5 took time");
        assertEquals(5 * 64 * 5, summary.envSteps());
        assertTrue(summary.peakRssMib() > 50, "a JVM with PyTorch loaded: " + summary.peakRssMib() + " MiB");
        assertEquals(EvaluationFigures.of(outcome.evaluation()), summary.evaluation());
        assertEquals(EvaluationFigures.of(outcome.absoluteMetric()), summary.absoluteMetric());
        var json = Json.MAPPER.readTree(dir.resolve(RunSummary.FILE).toFile());
        assertTrue(json.get("evaluation").get("score").isNull(), "no score on the seed: null, not NaN");
        assertTrue(json.get("absolute_metric").get("one_step_success").isNumber(), json.toString());
    }

    @Test
    void leastSquaresRowsCarryTheScoreAndNoOneStepSuccess() throws IOException {
        // 8 copies x 50-step episodes: 400 env steps per round, evaluated every 3 rounds
        TrainConfig config = TrainJobTest.LEAST_SQUARES.with(Map.of("episodes", 4, "evalEverySteps", 1200,
                "evalEveryEpisodes", 16, "evaluate", false));
        job(env.client).train(config, dir, "least-squares");

        List<EvaluationCsv.Row> rows = EvaluationCsv.read(dir.resolve(TrainJob.EVALUATIONS_FILE));
        assertEquals(List.of(3, 4), rows.stream().map(EvaluationCsv.Row::round).toList());
        EvaluationFigures last = rows.get(1).figures();
        assertFalse(Double.isNaN(last.score()), "least squares declares a score");
        assertTrue(last.score() <= 1, "score " + last.score());
        assertTrue(Double.isNaN(last.oneStepSuccess()), "one-step success is the seed's own figure");
        assertTrue(last.success() >= 0 && last.success() <= 1);
        assertTrue(RunSummary.read(dir).evaluation() == null, "no final evaluation asked");
        assertFalse(Files.exists(dir.resolve(TrainJob.ABSOLUTE_METRIC_FILE)), "nor the absolute metric");
        assertTrue(Files.isDirectory(dir.resolve(TrainJob.BEST_CHECKPOINT_DIR)), "the best is kept regardless");
    }

    @Test
    void withoutEvalEveryStepsThereIsNoEvaluationsFileBestCheckpointOrAbsoluteMetric() throws IOException {
        job(env.client).train(SEED.with(Map.of("episodes", 2, "evalEverySteps", 0, "evalEpisodes", 10)), dir, "none");
        assertFalse(Files.exists(dir.resolve(TrainJob.EVALUATIONS_FILE)));
        assertFalse(Files.exists(dir.resolve(TrainJob.BEST_CHECKPOINT_DIR)));
        assertFalse(Files.exists(dir.resolve(TrainJob.ABSOLUTE_METRIC_FILE)));
        assertTrue(Files.exists(dir.resolve(RunSummary.FILE)));
        assertTrue(RunSummary.read(dir).absoluteMetric() == null);
    }

    @Test
    void aResumedRunContinuesTheFileWithTheRowsAStraightRunHas() throws IOException {
        TrainConfig config = SEED.with(Map.of("evalEverySteps", 5 * ROUND, "evaluate", false));
        job(env.client).train(config, dir.resolve("straight"), "straight");
        job(env.client).train(config.with(Map.of("episodes", 12)), dir.resolve("resumed"), "resumed");
        job(env.client).resume(dir.resolve("resumed").resolve(TrainJob.CHECKPOINT_DIR), Map.of("episodes", 25),
                dir.resolve("resumed"), "resumed");

        List<EvaluationCsv.Row> straight = EvaluationCsv.read(dir.resolve("straight/" + TrainJob.EVALUATIONS_FILE));
        List<EvaluationCsv.Row> resumed = EvaluationCsv.read(dir.resolve("resumed/" + TrainJob.EVALUATIONS_FILE));
        assertEquals(List.of(5, 10, 15, 20, 25), straight.stream().map(EvaluationCsv.Row::round).toList());
        assertEquals(List.of(5, 10, 12, 15, 20, 25), resumed.stream().map(EvaluationCsv.Row::round).toList(),
                "the first run's last round keeps its row");
        List<EvaluationCsv.Row> common = resumed.stream().filter(row -> row.round() != 12).toList();
        for (int i = 0; i < straight.size(); i++) {
            assertEquals(straight.get(i).envSteps(), common.get(i).envSteps());
            assertEquals(straight.get(i).figures(), common.get(i).figures(), "round " + straight.get(i).round());
        }
    }

    @Test
    void checkpointBestHoldsTheBestEvaluationsAgentsAndTheAbsoluteMetricMeasuresThemOnTenTimesTheEpisodes()
            throws IOException {
        TrainJob.Outcome outcome = job(env.client).train(BUMPY, dir, "bumpy");

        List<EvaluationCsv.Row> rows = EvaluationCsv.read(dir.resolve(TrainJob.EVALUATIONS_FILE));
        EvaluationCsv.Row best = rows.get(0);
        for (EvaluationCsv.Row row : rows) {
            best = row.figures().beats(best.figures()) ? row : best;
        }
        assertTrue(best.round() < BUMPY.episodes(), "this configuration's best evaluation is before its last");
        Path bestDir = dir.resolve(TrainJob.BEST_CHECKPOINT_DIR);
        assertEquals(best.round(), manifest(bestDir).get("episodesDone").asInt());
        assertNotEquals(agentFiles(dir.resolve(TrainJob.CHECKPOINT_DIR)), agentFiles(bestDir),
                "the latest agents are not the best");
        EvaluationFigures again = EvaluationFigures.of(evaluate(bestDir, BUMPY.evalEveryEpisodes()));
        for (String name : EvaluationFigures.NAMES) { // the row holds 6 significant digits; NaN equals NaN
            double value = again.get(name);
            assertEquals(best.figures().get(name), value, Double.isNaN(value) ? 1 : 1e-5 * Math.abs(value) + 1e-9,
                    name);
        }

        JsonNode absolute = Json.MAPPER.readTree(dir.resolve(TrainJob.ABSOLUTE_METRIC_FILE).toFile());
        assertEquals(List.of("checkpoint", "round", "env_steps", "metric", "episodes", "first_seed", "evaluation"),
                iterable(absolute.fieldNames()));
        assertEquals(TrainJob.BEST_CHECKPOINT_DIR, absolute.get("checkpoint").asText());
        assertEquals(best.round(), absolute.get("round").asInt());
        assertEquals(best.envSteps(), absolute.get("env_steps").asLong());
        assertEquals("one_step_success", absolute.get("metric").asText());
        assertEquals(200, absolute.get("episodes").asInt(), "10 x evalEveryEpisodes");
        assertEquals(BUMPY.evalSeed(), absolute.get("first_seed").asLong());
        EvaluationResult tenTimes = evaluate(bestDir, 200);
        assertEquals(readBack(tenTimes.toJson()), absolute.get("evaluation"),
                "the same harness as evaluate --checkpoint checkpoint-best");
        assertEquals(readBack(outcome.absoluteMetric().toJson()), absolute.get("evaluation"));
    }

    @Test
    void aResumedRunEndsWithTheSameRowsBestCheckpointAndAbsoluteMetricAsAStraightOne() throws IOException {
        job(env.client).train(BUMPY, dir.resolve("straight"), "straight");
        // stopped at round 10, the best: only the rows it keeps can tell the resumed run that round
        // 12's evaluation, tied on the metric and lower in mean return, is not the best
        job(env.client).train(BUMPY.with(Map.of("episodes", 10, "evaluate", false)), dir.resolve("first"), "first");
        job(env.client).resume(dir.resolve("first").resolve(TrainJob.CHECKPOINT_DIR),
                Map.of("episodes", 12, "evaluate", true), dir.resolve("resumed"), "resumed");

        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        assertEquals(withoutWallTime(straight), withoutWallTime(resumed));
        assertEquals(agentFiles(straight.resolve(TrainJob.BEST_CHECKPOINT_DIR)),
                agentFiles(resumed.resolve(TrainJob.BEST_CHECKPOINT_DIR)));
        assertEquals(Json.MAPPER.readTree(straight.resolve(TrainJob.ABSOLUTE_METRIC_FILE).toFile()),
                Json.MAPPER.readTree(resumed.resolve(TrainJob.ABSOLUTE_METRIC_FILE).toFile()));
    }

    private static EvaluationResult evaluate(Path checkpoint, int episodes) {
        return EvaluateJob.run(env.client, new EvaluateJob.Request(checkpoint, null, Map.of(), List.of("learned"),
                Map.of(), episodes, null)).get(0);
    }

    private static JsonNode manifest(Path checkpoint) throws IOException {
        return Json.MAPPER.readTree(checkpoint.resolve(Checkpoint.MANIFEST).toFile());
    }

    /** The checksums of a checkpoint's agent files, by file. */
    private static Map<String, String> agentFiles(Path checkpoint) throws IOException {
        Map<String, String> agents = new TreeMap<>();
        manifest(checkpoint).get("files").fields().forEachRemaining(file -> {
            if (file.getKey().startsWith("agents/")) {
                agents.put(file.getKey(), file.getValue().get("sha256").asText());
            }
        });
        return agents;
    }

    /** evaluations.csv's rows with the wall time, which differs between runs, left out. */
    private static List<String> withoutWallTime(Path run) throws IOException {
        return EvaluationCsv.read(run.resolve(TrainJob.EVALUATIONS_FILE)).stream()
                .map(row -> row.round() + "," + row.envSteps() + "," + row.figures()).toList();
    }

    /** {@code value} as JSON would read it back from a file (numbers as the narrowest node that holds them). */
    private static JsonNode readBack(Object value) throws IOException {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(value));
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** The evaluation session idles between evaluations; one the server expired is opened again. */
    @Test
    void anEvaluationSessionTheServerExpiredIsReopened() throws IOException {
        EnvServer server = EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withMetricsPort(0).withSessionTtl(Duration.ofMillis(1500)), EnvServerFixture.REGISTRY);
        try (EnvClient client = EnvClient.connect("127.0.0.1:" + server.port(), Duration.ofSeconds(30), List.of())) {
            // each round waits 0.6 s: the training session stays in use, the evaluation session idles 3 rounds
            TrainJob slow = job(client).withListener(record -> sleep(600));
            slow.train(SEED.with(Map.of("episodes", 6, "evalEverySteps", 3 * ROUND, "evaluate", false)), dir, "slow");
        } finally {
            server.close();
        }
        assertEquals(List.of(3, 6), EvaluationCsv.read(dir.resolve(TrainJob.EVALUATIONS_FILE)).stream()
                .map(EvaluationCsv.Row::round).toList());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
