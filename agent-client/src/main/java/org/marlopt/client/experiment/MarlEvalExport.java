package org.marlopt.client.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw scores in the JSON layout of InstaDeep's marl-eval tool (Gorsane et al. 2022), so that
 * its aggregation and plots, and published MARL results in the same layout, apply unchanged:
 * {@code {"marlopt": {ENV: {ALGO: {"seed_N": {"step_K": {"step_count": S, "return": [...],
 * "normalised_score": [...]}, ..., "absolute_metrics": {"return": [...], "normalised_score": [...]}}}}}}},
 * one value per evaluation episode. The environment suite is "marlopt", each environment of the
 * experiment a task; a classical policy is one run, "seed_0", with its absolute metrics only.
 */
final class MarlEvalExport {

    static final String SUITE = "marlopt";

    private MarlEvalExport() {}

    static Map<String, Object> of(ExperimentConfig config, List<RunScores> runs) {
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (ExperimentConfig.Environment env : config.environments()) {
            Map<String, Object> algorithms = new LinkedHashMap<>();
            for (ExperimentConfig.Algorithm algorithm : config.algorithms()) {
                Map<String, Object> seeds = new LinkedHashMap<>();
                runs.stream().filter(r -> r.run().algorithm().equals(algorithm)
                        && r.run().env().label().equals(env.label())).forEach(r ->
                        seeds.put("seed_" + (r.run().seed() == null ? 0 : r.run().seed()), run(r)));
                if (!seeds.isEmpty()) {
                    algorithms.put(algorithm.label(), seeds);
                }
            }
            tasks.put(env.label(), algorithms);
        }
        return Map.of(SUITE, tasks);
    }

    private static Map<String, Object> run(RunScores scores) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int k = 0; k < scores.evaluations().size(); k++) {
            RunScores.Episodes evaluation = scores.evaluations().get(k);
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step_count", evaluation.envSteps());
            step.putAll(metrics(evaluation));
            json.put("step_" + k, step);
        }
        json.put("absolute_metrics", metrics(scores.absoluteEpisodes()));
        return json;
    }

    private static Map<String, Object> metrics(RunScores.Episodes episodes) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("return", episodes.returns());
        metrics.put("normalised_score", episodes.scores());
        return metrics;
    }
}
