package org.marlopt.client.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.experiment.ExperimentPlan.EnvPlan;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.EvaluateJob;
import org.marlopt.client.session.EnvClient;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.ScoreReference;

/**
 * How one environment's evaluations become normalised scores (0 = its naive policy, 1 = its
 * optimum, bound or strongest reference), as the environment declares: an environment with a
 * score key reports the normalised score itself; one with a score reference has its returns
 * normalised against the two reference policies' returns on the same reset seeds,
 * (R - R_naive) / (R_optimum - R_naive).
 *
 * @param method {@value #SCORE_KEY} or {@value #REFERENCES}
 * @param naiveReturns the naive policy's return on each of the absolute metric's seeds (references only)
 * @param optimumReturns the optimum's, on the same seeds (references only)
 */
public record ScoreScale(String method, String naivePolicy, String optimumPolicy, String optimumKind,
                         double[] naiveReturns, double[] optimumReturns) {

    public static final String SCORE_KEY = "score_key";
    public static final String REFERENCES = "references";
    static final String REFERENCES_DIR = "references";

    /**
     * The normalised score of an evaluation on the first {@code episodes} evaluation seeds.
     *
     * @param meanScore the evaluation's mean normalised score (used with a score key)
     */
    public double of(double meanReturn, double meanScore, int episodes) {
        if (method.equals(SCORE_KEY)) {
            return meanScore;
        }
        double naive = mean(naiveReturns, episodes);
        return (meanReturn - naive) / (mean(optimumReturns, episodes) - naive);
    }

    /** Each episode's normalised score (an evaluation on the first returns.length evaluation seeds). */
    public double[] perEpisode(double[] returns, double[] scores) {
        if (method.equals(SCORE_KEY)) {
            return scores;
        }
        double naive = mean(naiveReturns, returns.length);
        double range = mean(optimumReturns, returns.length) - naive;
        return Arrays.stream(returns).map(r -> (r - naive) / range).toArray();
    }

    private static double mean(double[] values, int count) {
        if (count > values.length) {
            throw new IllegalStateException("the references were evaluated on " + values.length + " seeds, fewer "
                    + "than the " + count + " of this evaluation");
        }
        return Arrays.stream(values, 0, count).average().orElseThrow();
    }

    /** The environment's scale as it declares it, evaluating the references (or reading them from an earlier call). */
    static ScoreScale of(EnvPlan env, EnvClient client, Path out) throws IOException {
        EnvSpec spec = env.spec().env();
        if (spec.scoreKey() != null) {
            return new ScoreScale(SCORE_KEY, null, null, null, null, null);
        }
        ScoreReference reference = spec.scoreReference();
        if (reference == null) {
            throw new IllegalArgumentException("environment " + env.env().label() + " declares neither a score_key "
                    + "nor a score_reference, so its scores cannot be normalised; declare one in its EnvSpec");
        }
        Path file = out.resolve(REFERENCES_DIR).resolve(ExperimentPlan.fileName(env.env().label()) + ".json");
        Map<String, Object> key = Map.of("naive", reference.naivePolicy(), "optimum", reference.optimumPolicy(),
                "first_seed", env.evalSeed(), "episodes", env.absoluteEpisodes(), "params", env.env().params());
        Map<String, double[]> returns = readIfSame(file, key);
        if (returns == null) {
            List<EvaluationResult> results = EvaluateJob.run(client, new EvaluateJob.Request(null, env.env().id(),
                    env.env().params(), List.of(reference.naivePolicy(), reference.optimumPolicy()), Map.of(),
                    env.absoluteEpisodes(), env.evalSeed()));
            returns = Map.of("naive", results.get(0).episodeReturns(), "optimum", results.get(1).episodeReturns());
            Map<String, Object> json = new LinkedHashMap<>(key);
            json.put("evaluations", EvaluateJob.byPolicy(results));
            Json.write(file, json);
        }
        double[] naive = returns.get("naive");
        double[] optimum = returns.get("optimum");
        if (!(Arrays.stream(optimum).average().orElseThrow() > Arrays.stream(naive).average().orElseThrow())) {
            throw new IllegalStateException(env.env().label() + ": its optimum reference " + reference.optimumPolicy()
                    + " does not return more than its naive reference " + reference.naivePolicy() + " (see " + file
                    + "), so no score can be normalised against them");
        }
        return new ScoreScale(REFERENCES, reference.naivePolicy(), reference.optimumPolicy(), reference.kind(), naive,
                optimum);
    }

    /** The references' per-episode returns from {@code file} when it was written for {@code key}, else null. */
    private static Map<String, double[]> readIfSame(Path file, Map<String, Object> key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<?, ?> saved = Json.MAPPER.readValue(file.toFile(), Map.class);
        Map<?, ?> wanted = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(key), Map.class);
        for (var entry : wanted.entrySet()) {
            if (!entry.getValue().equals(saved.get(entry.getKey()))) {
                return null;
            }
        }
        Map<?, ?> evaluations = (Map<?, ?>) saved.get("evaluations");
        return Map.of("naive", returnsOf(evaluations.get(key.get("naive"))),
                "optimum", returnsOf(evaluations.get(key.get("optimum"))));
    }

    private static double[] returnsOf(Object evaluation) {
        List<?> returns = (List<?>) ((Map<?, ?>) evaluation).get(EvaluationResult.EPISODE_RETURNS_KEY);
        return returns.stream().mapToDouble(value -> ((Number) value).doubleValue()).toArray();
    }

    /** The scale as results record it (without the per-episode returns). */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        if (method.equals(REFERENCES)) {
            json.put("naive_policy", naivePolicy);
            json.put("naive_mean_return", Arrays.stream(naiveReturns).average().orElseThrow());
            json.put("optimum_policy", optimumPolicy);
            json.put("optimum_kind", optimumKind);
            json.put("optimum_mean_return", Arrays.stream(optimumReturns).average().orElseThrow());
        }
        return json;
    }
}
