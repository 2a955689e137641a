package org.marlopt.client.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A policy's scores on N fresh seeded resets.
 *
 * @param policy learned, zero or oracle
 * @param oneStepSuccessRate fraction with |target - sum| below the threshold after the first step
 * @param successRate fraction solved within the step limit
 * @param meanStepsToSolve mean steps over the solved episodes (NaN when none was solved)
 * @param meanAbsErrorFirstStep mean |target - sum| after the first step
 * @param meanReturn mean episode return
 * @param episodes N
 * @param firstSeed seeds used: firstSeed .. firstSeed + N - 1
 * @param exampleFinalParameters the parameters the first evaluation episode ended with
 */
@JsonPropertyOrder({"policy", "one_step_success_rate", "success_rate", "mean_steps_to_solve",
        "mean_abs_error_first_step", "mean_return", "episodes", "first_seed"})
public record EvaluationResult(
        @JsonProperty("policy") String policy,
        @JsonProperty("one_step_success_rate") double oneStepSuccessRate,
        @JsonProperty("success_rate") double successRate,
        @JsonProperty("mean_steps_to_solve") Double meanStepsToSolve,
        @JsonProperty("mean_abs_error_first_step") double meanAbsErrorFirstStep,
        @JsonProperty("mean_return") double meanReturn,
        @JsonProperty("episodes") int episodes,
        @JsonProperty("first_seed") long firstSeed,
        @JsonIgnore float[] exampleFinalParameters) {
}
