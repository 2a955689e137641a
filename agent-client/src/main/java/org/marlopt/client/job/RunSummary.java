package org.marlopt.client.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.io.Json;

/**
 * summary.json, what a run cost and reached in a few numbers ({@code compare} reads it).
 *
 * @param trainingSeconds wall time of this process's training loop, evaluations while training excluded
 * @param evaluationSeconds wall time of the evaluations while training (evalEverySteps), saving
 *     checkpoint-best included
 * @param envSteps environment steps trained since the run began
 * @param peakRssMib peak resident memory of the whole JVM in MiB (NaN off Linux; see {@link
 *     org.marlopt.client.io.ProcessMemory})
 * @param evaluation the final evaluation of the learned policy, or null when it was skipped
 * @param absoluteMetric checkpoint-best's re-evaluation (absolute_metric.json), or null when there was none
 */
public record RunSummary(double trainingSeconds, double evaluationSeconds, long envSteps, double peakRssMib,
                         EvaluationFigures evaluation, EvaluationFigures absoluteMetric) {

    public static final String FILE = "summary.json";

    public void write(Path runDir) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("training_seconds", trainingSeconds);
        json.put("periodic_evaluation_seconds", evaluationSeconds);
        json.put("env_steps", envSteps);
        json.put("peak_rss_mb", Double.isNaN(peakRssMib) ? null : peakRssMib);
        json.put("evaluation", evaluation == null ? null : evaluation.toMap());
        json.put("absolute_metric", absoluteMetric == null ? null : absoluteMetric.toMap());
        Json.write(runDir.resolve(FILE), json);
    }

    public static RunSummary read(Path runDir) throws IOException {
        JsonNode json = Json.MAPPER.readTree(runDir.resolve(FILE).toFile());
        JsonNode rss = json.get("peak_rss_mb");
        return new RunSummary(json.get("training_seconds").asDouble(), json.get("periodic_evaluation_seconds")
                .asDouble(), json.get("env_steps").asLong(), rss.isNumber() ? rss.asDouble() : Double.NaN,
                figures(json.get("evaluation")), figures(json.get("absolute_metric")));
    }

    /** The figures under a key, or null when the key is absent (an older summary) or null. */
    private static EvaluationFigures figures(JsonNode node) {
        return node == null || node.isNull() ? null : EvaluationFigures.ofMap(node);
    }
}
