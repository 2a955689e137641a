package org.marlopt.client.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A policy's scores on N fresh seeded resets, each the first episode of one copy.
 *
 * @param policy the policy's name
 * @param episodes N
 * @param firstSeed seeds used: firstSeed .. firstSeed + N - 1
 * @param meanReturn mean team return (the mean over agents of each agent's return)
 * @param meanEpisodeLength mean steps per episode
 * @param successRate fraction that ended successfully, or null when the environment defines no success
 * @param stepsToSuccess how fast success was first reached, or null when the environment defines no success
 * @param normalizedScore mean normalised score at the episode's end (0 the environment's naive
 *     policy, 1 its optimum), or null when the environment declares none
 * @param finalInfo per info key, its mean in the step that ended the episode
 * @param environmentKeys what the environment's own scorer adds (the seed's one-step success, ...)
 * @param exampleFinalState the state the first evaluation episode ended in
 * @param episodeReturns each episode's team return, in seed order (the raw scores a statistical
 *     comparison pools, e.g. marl-eval's)
 * @param episodeScores each episode's normalised score, in seed order, or null when the
 *     environment declares none
 */
public record EvaluationResult(
        String policy,
        int episodes,
        long firstSeed,
        double meanReturn,
        double meanEpisodeLength,
        Double successRate,
        StepsToSuccess stepsToSuccess,
        Double normalizedScore,
        Map<String, Double> finalInfo,
        Map<String, Object> environmentKeys,
        float[] exampleFinalState,
        double[] episodeReturns,
        double[] episodeScores) {

    /** The JSON keys of the per-episode arrays. */
    public static final String EPISODE_RETURNS_KEY = "episode_returns";
    public static final String EPISODE_SCORES_KEY = "episode_scores";

    static EvaluationResult of(String policy, long firstSeed, EpisodeStats stats, Map<String, Object> environmentKeys,
                               float[] exampleFinalState) {
        return new EvaluationResult(policy, stats.episodes(), firstSeed, stats.meanReturn(), stats.meanLength(),
                stats.hasSuccess() ? stats.successRate() : null, stats.stepsToSuccess(),
                stats.hasScore() ? stats.meanScore() : null, stats.meanInfoAtEnd(), environmentKeys,
                exampleFinalState, stats.episodeReturns(), stats.episodeScores());
    }

    /** The JSON form (evaluation.json): the generic keys, then the environment's own. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("policy", policy);
        json.put("episodes", episodes);
        json.put("first_seed", firstSeed);
        json.put("mean_return", meanReturn);
        json.put("mean_episode_length", meanEpisodeLength);
        if (successRate != null) {
            json.put("success_rate", successRate);
            json.put("steps_to_success", stepsToSuccess.toJson());
        }
        if (normalizedScore != null) {
            json.put("normalized_score", normalizedScore);
        }
        json.put("final_info", finalInfo);
        json.putAll(environmentKeys);
        json.put(EPISODE_RETURNS_KEY, episodeReturns);
        if (episodeScores != null) {
            json.put(EPISODE_SCORES_KEY, episodeScores);
        }
        return json;
    }

    /** Every scalar figure by its JSON key (a steps_to_success figure as mean_steps_to_success), NaN for null. */
    public Map<String, Double> figures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("mean_return", meanReturn);
        figures.put("mean_episode_length", meanEpisodeLength);
        if (successRate != null) {
            figures.put("success_rate", successRate);
            figures.put("mean_steps_to_success", orNaN(stepsToSuccess.mean()));
        }
        if (normalizedScore != null) {
            figures.put("normalized_score", normalizedScore);
        }
        environmentKeys.forEach((key, value) -> figures.put(key, value instanceof Number n ? n.doubleValue()
                : Double.NaN));
        return figures;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
