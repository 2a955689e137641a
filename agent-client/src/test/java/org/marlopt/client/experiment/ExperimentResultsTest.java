package org.marlopt.client.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.client.experiment.ExperimentConfig.Algorithm;
import org.marlopt.client.experiment.ExperimentConfig.Environment;
import org.marlopt.client.experiment.ExperimentResults.AlgoSummary;
import org.marlopt.client.experiment.ExperimentResults.Curve;
import org.marlopt.client.experiment.ExperimentResults.Scope;
import org.marlopt.client.stats.Aggregate;

/** The statistics of an experiment on hand-made run scores whose answers are known. */
class ExperimentResultsTest {

    private static final Environment A = new Environment("A-v1", Map.of(), "A", Map.of());
    private static final Environment B = new Environment("B-v1", Map.of(), "B", Map.of());
    private static final Algorithm GOOD = new Algorithm("mappo", false, Map.of());
    private static final Algorithm POOR = new Algorithm("matd3", false, Map.of());
    private static final Algorithm BEST = new Algorithm(ExperimentConfig.BEST_CLASSICAL, true, Map.of());

    @Test
    void referencesNormaliseTheMeanReturnOnTheSameSeedsAndScoreKeysPassThrough() {
        ScoreScale scale = new ScoreScale(ScoreScale.REFERENCES, "zero", "oracle", "optimum",
                new double[] {-10, -20, -90}, new double[] {0, 0, -30});
        assertEquals(0.5, scale.of(-7.5, Double.NaN, 2), 1e-12, "(-7.5 - -15) / (0 - -15) on the first 2 seeds");
        assertEquals(0.0, scale.of(-40, Double.NaN, 3), 1e-12, "the naive policy's own mean scores 0");
        assertEquals(1.0, scale.of(-10, Double.NaN, 3), 1e-12, "the optimum's own mean scores 1");
        assertArrayEquals(new double[] {1, 0}, scale.perEpisode(new double[] {0, -15}, null), 1e-12);
        ScoreScale own = new ScoreScale(ScoreScale.SCORE_KEY, null, null, null, null, null);
        assertEquals(0.7, own.of(-123, 0.7, 32), 0);
    }

    @Test
    void aggregatesImprovementCurvesAndProfilesOverEnvironments() throws IOException {
        List<RunScores> runs = new ArrayList<>();
        // mappo: on A four runs at 0.2, 0.4, 0.6, 0.8 (evaluated at 100, 200 env steps); on B 0.9 and 1.0
        double[] onA = {0.2, 0.4, 0.6, 0.8};
        for (int seed = 0; seed < onA.length; seed++) {
            runs.add(learned(GOOD, A, seed, new double[] {100, 200}, new double[] {0, onA[seed]}, onA[seed]));
        }
        runs.add(learned(GOOD, B, 0, new double[] {50, 100, 150, 200}, new double[] {0.1, 0.3, 0.5, 0.9}, 0.9));
        runs.add(learned(GOOD, B, 1, new double[] {50, 100, 150, 200}, new double[] {0.1, 0.3, 0.5, 1.0}, 1.0));
        // matd3: below mappo everywhere; best-classical: 0.5 on each, one run
        for (Environment env : List.of(A, B)) {
            runs.add(learned(POOR, env, 0, new double[] {100, 200}, new double[] {-1, 0.1}, 0.1));
            runs.add(learned(POOR, env, 1, new double[] {100, 200}, new double[] {-1, 0.0}, 0.0));
            runs.add(new RunScores(new ExperimentPlan.Run(BEST, env, null, Path.of("x"), null, List.of("p")),
                    new double[0], new double[0], List.of(), 0.5, null, "p"));
        }
        ExperimentConfig config = new ExperimentConfig("t", List.of(0L, 1L), 1, List.of(), Map.of(), List.of(A, B),
                List.of(GOOD, POOR, BEST), Map.of());
        List<Scope> scopes = ExperimentResults.of(config, runs);
        assertEquals(List.of("A", "B", ExperimentResults.ALL), scopes.stream().map(Scope::scope).toList());

        AlgoSummary mappoOnA = scopes.get(0).algorithms().get(0);
        assertEquals(0.5, mappoOnA.aggregates().get(Aggregate.IQM).value(), 1e-12, "mean of 0.4 and 0.6");
        assertEquals(0.5, mappoOnA.aggregates().get(Aggregate.MEAN).value(), 1e-12);
        AlgoSummary mappoOverall = scopes.get(2).algorithms().get(0);
        assertEquals(0.725, mappoOverall.aggregates().get(Aggregate.MEAN).value(), 1e-12, "mean of 0.5 and 0.95");
        assertEquals(0.725, mappoOverall.aggregates().get(Aggregate.MEDIAN).value(), 1e-12);
        assertEquals((0.4 + 0.6 + 0.8 + 0.9) / 4, mappoOverall.aggregates().get(Aggregate.IQM).value(), 1e-12,
                "pooled 0.2 0.4 0.6 0.8 0.9 1.0, one dropped at each end");
        assertEquals(1 - (0.2 + 0.4 + 0.6 + 0.8 + 0.9 + 1.0) / 6,
                mappoOverall.aggregates().get(Aggregate.OPTIMALITY_GAP).value(), 1e-12);
        assertEquals(1.0, scopes.get(2).improvement().get("mappo").get("matd3").value(), 1e-12);
        assertEquals(0.5, scopes.get(0).improvement().get("mappo").get("best-classical").value(), 1e-12,
                "2 of mappo's 4 runs on A above best-classical's 0.5, 2 below");

        Curve onEnvA = scopes.get(0).curves().get(0);
        assertArrayEquals(new double[] {100, 200}, onEnvA.x(), 0);
        Curve overall = scopes.get(2).curves().get(0);
        assertEquals(0.5, overall.x()[0], 1e-12, "from the latest first evaluation: A's runs at half their training");
        assertEquals(1.0, overall.x()[overall.x().length - 1], 1e-12);
        assertEquals(mappoOverall.aggregates().get(Aggregate.IQM).value(), overall.iqm()[overall.iqm().length - 1],
                1e-12, "the last point is each run's last evaluation");
        assertEquals(2, scopes.get(2).curves().size(), "no curve for the classical policy");

        ExperimentResults.Profile profile = scopes.get(2).profiles().get(0);
        assertEquals(1.0, profile.fraction()[0], 1e-12, "every run above 0");
        assertTrue(profile.low()[50] <= profile.fraction()[50] && profile.fraction()[50] <= profile.high()[50]);
    }

    private static RunScores learned(Algorithm algorithm, Environment env, long seed, double[] steps, double[] curve,
                                     double absolute) {
        return new RunScores(new ExperimentPlan.Run(algorithm, env, seed, Path.of("x"), null, List.of()), steps,
                curve, List.of(), absolute, null, "learned");
    }
}
