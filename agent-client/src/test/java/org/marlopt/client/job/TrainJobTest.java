package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.io.EpisodeCsv;
import org.marlopt.client.io.Json;
import org.marlopt.client.train.TrainConfig;

/** Seeded training runs against a real env server on loopback. */
class TrainJobTest {

    /** Small but real: 128 copies, 200 rounds of 5 Adam updates, evaluation on 200 fresh seeds. */
    static final TrainConfig SHORT = TrainConfig.defaults().with(Map.of(
            "numEnvs", 128, "episodes", 200, "evalEpisodes", 200, "checkpointEvery", 0));

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

    private static TrainJob job() {
        return new TrainJob(env.client, null, QUIET, false);
    }

    @Test
    void shortSeededTrainingSolvesFreshStartsAndWritesItsOutputs() throws IOException {
        TrainJob.Outcome outcome = job().train(SHORT, dir, "short");

        EvaluationResult result = outcome.evaluation();
        assertEquals(200, result.episodes());
        assertTrue(result.successRate() >= 0.95, "50-step success " + result.successRate());
        assertTrue(result.oneStepSuccessRate() >= 0.4, "one-step success " + result.oneStepSuccessRate());
        for (String file : List.of(TrainJob.CONFIG_FILE, TrainJob.EPISODES_FILE, TrainJob.EVALUATION_FILE,
                TrainJob.LEARNING_CURVE_FILE, TrainJob.FINAL_PARAMETERS_FILE, "checkpoint/manifest.json")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        JsonNode evaluation = Json.MAPPER.readTree(dir.resolve(TrainJob.EVALUATION_FILE).toFile());
        for (String key : List.of("one_step_success_rate", "success_rate", "mean_steps_to_solve",
                "mean_abs_error_first_step", "mean_return", "episodes")) {
            assertTrue(evaluation.has(key), key);
        }
        JsonNode run = Json.MAPPER.readTree(dir.resolve(TrainJob.CONFIG_FILE).toFile());
        assertEquals(42, run.get("config").get("seed").asLong());
        assertEquals(SHORT.evalSeed(), run.get("evaluation_seeds").get(0).asLong());
        assertEquals(SHORT.episodes() + 1, Files.readAllLines(dir.resolve(TrainJob.EPISODES_FILE)).size());
    }

    @Test
    void theSameSeedGivesTheSameLearningCurve() throws IOException {
        TrainConfig config = SHORT.with(Map.of("episodes", 25, "evaluate", false));
        job().train(config, dir.resolve("a"), "a");
        job().train(config, dir.resolve("b"), "b");
        job().train(config.with(Map.of("seed", 43)), dir.resolve("c"), "c");

        double[] a = EpisodeCsv.readReturns(dir.resolve("a").resolve(TrainJob.EPISODES_FILE));
        double[] b = EpisodeCsv.readReturns(dir.resolve("b").resolve(TrainJob.EPISODES_FILE));
        double[] c = EpisodeCsv.readReturns(dir.resolve("c").resolve(TrainJob.EPISODES_FILE));
        assertEquals(25, a.length);
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c), "another seed must give another curve");
    }

    @Test
    void resumingFromACheckpointContinuesTheCurveExactly() throws IOException {
        TrainConfig config = SHORT.with(Map.of("episodes", 30, "evaluate", false, "lrSchedule", "constant"));
        job().train(config, dir.resolve("straight"), "straight");
        job().train(config.with(Map.of("episodes", 12)), dir.resolve("resumed"), "resumed");
        job().resume(dir.resolve("resumed").resolve(TrainJob.CHECKPOINT_DIR), Map.of("episodes", 30),
                dir.resolve("resumed"), "resumed");

        double[] straight = EpisodeCsv.readReturns(dir.resolve("straight").resolve(TrainJob.EPISODES_FILE));
        double[] resumed = EpisodeCsv.readReturns(dir.resolve("resumed").resolve(TrainJob.EPISODES_FILE));
        assertEquals(30, resumed.length);
        assertArrayEquals(straight, resumed);
    }

    @Test
    void referencePoliciesBracketTheTask() {
        List<EvaluationResult> results = EvaluateJob.run(env.client, null, List.of("zero", "oracle"), 100, 5_000_000L);
        EvaluationResult zero = results.get(0);
        EvaluationResult oracle = results.get(1);
        assertEquals(1.0, oracle.oneStepSuccessRate());
        assertEquals(1.0, oracle.successRate());
        assertEquals(1.0, oracle.meanStepsToSolve());
        assertTrue(oracle.meanAbsErrorFirstStep() < 1e-4, "oracle error " + oracle.meanAbsErrorFirstStep());
        assertEquals(0.0, zero.oneStepSuccessRate());
        assertTrue(zero.meanReturn() < oracle.meanReturn());
    }

    @Test
    void evaluatingACheckpointReproducesTheRunsEvaluation() throws IOException {
        TrainConfig config = SHORT.with(Map.of("episodes", 20, "evalEpisodes", 100));
        EvaluationResult atTheEnd = job().train(config, dir, "run").evaluation();
        EvaluationResult fromCheckpoint = EvaluateJob.run(env.client, dir.resolve(TrainJob.CHECKPOINT_DIR),
                List.of("learned"), 100, null).get(0);
        assertEquals(atTheEnd.oneStepSuccessRate(), fromCheckpoint.oneStepSuccessRate());
        assertEquals(atTheEnd.meanReturn(), fromCheckpoint.meanReturn(), 1e-9);
    }
}
