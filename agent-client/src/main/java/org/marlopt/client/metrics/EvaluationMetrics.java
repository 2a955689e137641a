package org.marlopt.client.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.marlopt.client.eval.EvaluationResult;

/** Evaluation results as gauges tagged policy=learned|zero|oracle (names fixed by the team contract). */
public final class EvaluationMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes (or updates) a policy's scores. */
    public void evaluated(EvaluationResult result) {
        double steps = result.meanStepsToSolve() == null ? Double.NaN : result.meanStepsToSolve();
        publish("marl.eval.one.step.success.rate", result.policy(), result.oneStepSuccessRate());
        publish("marl.eval.success.rate", result.policy(), result.successRate());
        publish("marl.eval.mean.steps.to.solve", result.policy(), steps);
        publish("marl.eval.mean.abs.error.first.step", result.policy(), result.meanAbsErrorFirstStep());
        publish("marl.eval.mean.return", result.policy(), result.meanReturn());
    }

    private void publish(String name, String policy, double value) {
        values.computeIfAbsent(name + "/" + policy, key -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, () -> holder.get()).tag("policy", policy)
                    .description("Evaluation result on fresh seeded resets").register(registry);
            return holder;
        }).set(value);
    }
}
