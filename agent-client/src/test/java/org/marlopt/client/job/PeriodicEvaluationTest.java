package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.io.EvaluationCsv;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.io.Json;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/** Evaluations while training (evalEvery), evaluations.csv and summary.json, against a loopback env server. */
class PeriodicEvaluationTest {

    /** The seed: 64 copies, 5 updates per round, evaluated every 10 rounds on 50 fresh resets. */
    static final TrainConfig SEED = TrainConfig.defaults().with(Map.of("numEnvs", 64, "episodes", 25,
            "evalEvery", 10, "evalEveryEpisodes", 50, "evalEpisodes", 50, "checkpointEvery", 0,
            "lrSchedule", "constant"));

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
    void rowsFollowEveryEvalEveryRoundsAndTheLastAndTheLastMatchesTheFinalEvaluation() throws IOException {
        TrainJob.Outcome outcome = job(env.client).train(SEED, dir, "periodic");

        List<EvaluationCsv.Row> rows = EvaluationCsv.read(dir.resolve(TrainJob.EVALUATIONS_FILE));
        assertEquals(List.of(10, 20, 25), rows.stream().map(EvaluationCsv.Row::round).toList());
        for (EvaluationCsv.Row row : rows) {
            assertEquals(row.round() * 64L * 5, row.envSteps(), "64 copies x 5 steps per round");
            EvaluationFigures f = row.figures();
            assertTrue(f.success() >= 0 && f.success() <= 1, "success " + f.success());
            assertTrue(f.oneStepSuccess() >= 0 && f.oneStepSuccess() <= 1, "one-step " + f.oneStepSuccess());
            assertTrue(f.meanReturn() < 0, "the seed's reward is -|target - sum|: " + f.meanReturn());
            assertTrue(Double.isNaN(f.score()), "the seed declares no score");
        }
        assertTrue(rows.get(0).wallSeconds() < rows.get(1).wallSeconds()
                && rows.get(1).wallSeconds() < rows.get(2).wallSeconds());
        List<String> episodes = Files.readAllLines(dir.resolve(TrainJob.EPISODES_FILE));
        String lastEpisode = episodes.get(episodes.size() - 1);
        assertEquals(Double.parseDouble(lastEpisode.substring(lastEpisode.lastIndexOf(',') + 1)),
                rows.get(2).wallSeconds(), 1e-9, "both CSVs read the same training clock");
        assertTrue(rows.get(2).wallSeconds() <= outcome.trainingSeconds());

        // the final evaluation ran on the same 50 seeds with the same agents: the last row must agree
        EvaluationResult last = outcome.evaluation();
        assertEquals(last.meanReturn(), rows.get(2).figures().meanReturn(), 1e-5 * Math.abs(last.meanReturn()));
        assertEquals((Double) last.environmentKeys().get("one_step_success_rate"),
                rows.get(2).figures().oneStepSuccess(), 1e-6);
        assertEquals(last.successRate(), rows.get(2).figures().success(), 1e-6);
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
        var json = Json.MAPPER.readTree(dir.resolve(RunSummary.FILE).toFile());
        assertTrue(json.get("evaluation").get("score").isNull(), "no score on the seed: null, not NaN");
    }

    @Test
    void leastSquaresRowsCarryTheScoreAndNoOneStepSuccess() throws IOException {
        TrainConfig config = TrainJobTest.LEAST_SQUARES.with(Map.of("episodes", 4, "evalEvery", 3,
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
    }

    @Test
    void withoutEvalEveryThereIsNoEvaluationsFile() throws IOException {
        job(env.client).train(SEED.with(Map.of("episodes", 2, "evalEvery", 0, "evaluate", false)), dir, "none");
        assertFalse(Files.exists(dir.resolve(TrainJob.EVALUATIONS_FILE)));
        assertTrue(Files.exists(dir.resolve(RunSummary.FILE)));
    }

    @Test
    void aResumedRunContinuesTheFileWithTheRowsAStraightRunHas() throws IOException {
        TrainConfig config = SEED.with(Map.of("evalEvery", 5, "evaluate", false));
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

    /** The evaluation session idles between evaluations; one the server expired is opened again. */
    @Test
    void anEvaluationSessionTheServerExpiredIsReopened() throws IOException {
        EnvServer server = EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withMetricsPort(0).withSessionTtl(Duration.ofMillis(1500)), EnvServerFixture.REGISTRY);
        try (EnvClient client = EnvClient.connect("127.0.0.1:" + server.port(), Duration.ofSeconds(30), List.of())) {
            // each round waits 0.6 s: the training session stays in use, the evaluation session idles 3 rounds
            TrainJob slow = job(client).withListener(record -> sleep(600));
            slow.train(SEED.with(Map.of("episodes", 6, "evalEvery", 3, "evaluate", false)), dir, "slow");
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
