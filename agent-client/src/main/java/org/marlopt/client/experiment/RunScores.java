package org.marlopt.client.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.experiment.ExperimentPlan.Run;
import org.marlopt.client.io.EvaluationCsv;
import org.marlopt.client.io.EvaluationEpisodes;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.TrainJob;

/**
 * One finished run's normalised scores: at each evaluation while training (a learned run), and
 * the absolute metric (its best checkpoint, or the classical policy, on ten times the episodes).
 *
 * @param envSteps env steps trained at each evaluation
 * @param curve the normalised score of each evaluation
 * @param evaluations each evaluation's per-episode returns and normalised scores (the raw data marl-eval reads)
 * @param absolute the absolute metric's normalised score
 * @param absoluteEpisodes its per-episode returns and normalised scores
 * @param policy the policy evaluated ("learned", or the classical policy chosen)
 */
public record RunScores(Run run, double[] envSteps, double[] curve, List<Episodes> evaluations, double absolute,
                        Episodes absoluteEpisodes, String policy) {

    /** One evaluation's episodes: team returns and normalised scores, in seed order. */
    public record Episodes(long envSteps, double[] returns, double[] scores) {
    }

    static RunScores read(Run run, ScoreScale scale) throws IOException {
        List<Double> steps = new ArrayList<>();
        List<Double> curve = new ArrayList<>();
        List<Episodes> evaluations = new ArrayList<>();
        if (run.learned()) {
            for (EvaluationCsv.Row row : EvaluationCsv.read(run.dir().resolve(TrainJob.EVALUATIONS_FILE))) {
                steps.add((double) row.envSteps());
                curve.add(scale.of(row.figures().meanReturn(), row.figures().score(),
                        run.config().evalEveryEpisodes()));
            }
            for (EvaluationEpisodes.Row row : EvaluationEpisodes.read(run.dir()
                    .resolve(TrainJob.EVALUATION_EPISODES_FILE))) {
                evaluations.add(new Episodes(row.envSteps(), row.returns(), scale.perEpisode(row.returns(),
                        row.scores())));
            }
        }
        JsonNode absolute = Json.MAPPER.readTree(run.dir().resolve(TrainJob.ABSOLUTE_METRIC_FILE).toFile());
        JsonNode evaluation = absolute.get("evaluation");
        double[] returns = Json.doubles(evaluation.get(EvaluationResult.EPISODE_RETURNS_KEY));
        double[] scores = evaluation.has(EvaluationResult.EPISODE_SCORES_KEY)
                ? Json.doubles(evaluation.get(EvaluationResult.EPISODE_SCORES_KEY)) : null;
        double score = scale.of(evaluation.get("mean_return").asDouble(),
                evaluation.path("normalized_score").asDouble(Double.NaN), returns.length);
        return new RunScores(run, steps.stream().mapToDouble(Double::doubleValue).toArray(),
                curve.stream().mapToDouble(Double::doubleValue).toArray(), evaluations, score,
                new Episodes(absolute.path("env_steps").asLong(0), returns, scale.perEpisode(returns, scores)),
                evaluation.get("policy").asText());
    }
}
