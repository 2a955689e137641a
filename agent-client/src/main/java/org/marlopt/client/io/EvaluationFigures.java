package org.marlopt.client.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.eval.EvaluationResult;

/**
 * The five figures of an evaluation that runs are compared on; NaN where the environment does not
 * define one.
 *
 * @param meanReturn mean team return
 * @param success fraction of episodes that ended successfully
 * @param oneStepSuccess fraction solved after the first step, where the environment reports it (the
 *     seed's one_step_success_rate)
 * @param meanStepsToSolve mean step at which success was first reached, over the episodes that reached it
 * @param score mean normalised score at the episodes' end
 */
public record EvaluationFigures(double meanReturn, double success, double oneStepSuccess, double meanStepsToSolve,
                                double score) {

    /** The figures' names, in the order of {@link #values()}: evaluations.csv's columns and summary.json's keys. */
    public static final List<String> NAMES = List.of("mean_return", "success", "one_step_success",
            "mean_steps_to_solve", "score");

    /** The figures a run is judged on, in order of preference: the first an environment defines. */
    public static final List<String> METRICS = List.of("one_step_success", "score", "success");
    /** What a run is judged on when its environment defines none of {@link #METRICS}. */
    public static final String FALLBACK_METRIC = "mean_return";

    /** The environment key the seed's scorer reports one-step success under. */
    static final String ONE_STEP_SUCCESS_KEY = "one_step_success_rate";

    public static EvaluationFigures of(EvaluationResult result) {
        Double stepsMean = result.stepsToSuccess() == null ? null : result.stepsToSuccess().mean();
        return new EvaluationFigures(result.meanReturn(), orNaN(result.successRate()),
                result.environmentKeys().get(ONE_STEP_SUCCESS_KEY) instanceof Number n ? n.doubleValue() : Double.NaN,
                orNaN(stepsMean), orNaN(result.normalizedScore()));
    }

    /** From an evaluation in its JSON form ({@link EvaluationResult#toJson}: evaluation.json, evaluation_all.json). */
    public static EvaluationFigures ofEvaluationJson(JsonNode json) {
        return new EvaluationFigures(number(json.get("mean_return")), number(json.get("success_rate")),
                number(json.get(ONE_STEP_SUCCESS_KEY)), number(json.path("steps_to_success").get("mean")),
                number(json.get("normalized_score")));
    }

    /** From the map {@link #toMap} wrote. */
    public static EvaluationFigures ofMap(JsonNode json) {
        double[] values = new double[NAMES.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(json.get(NAMES.get(i)));
        }
        return new EvaluationFigures(values[0], values[1], values[2], values[3], values[4]);
    }

    public double[] values() {
        return new double[] {meanReturn, success, oneStepSuccess, meanStepsToSolve, score};
    }

    /** The figure called {@code name}, one of {@link #NAMES}. */
    public double get(String name) {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no evaluation figure '" + name + "'; figures: " + NAMES);
        }
        return values()[index];
    }

    /** The name of the figure these are judged on: the first of {@link #METRICS} defined, else the mean return. */
    public String metric() {
        return METRICS.stream().filter(name -> !Double.isNaN(get(name))).findFirst().orElse(FALLBACK_METRIC);
    }

    /**
     * Whether these figures are strictly better than {@code other}'s: a higher {@link #metric},
     * or the same metric and a higher mean return (a tie is not better, so the earlier is kept).
     */
    public boolean beats(EvaluationFigures other) {
        int byMetric = Double.compare(get(metric()), other.get(metric()));
        return byMetric > 0 || (byMetric == 0 && meanReturn > other.meanReturn);
    }

    /** Name to value, null for a figure the environment does not define (JSON has no NaN). */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        double[] values = values();
        for (int i = 0; i < values.length; i++) {
            map.put(NAMES.get(i), Double.isNaN(values[i]) ? null : values[i]);
        }
        return map;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double number(JsonNode node) {
        return node == null || !node.isNumber() ? Double.NaN : node.asDouble();
    }
}
