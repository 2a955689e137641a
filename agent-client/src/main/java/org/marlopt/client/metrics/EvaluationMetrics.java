package org.marlopt.client.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.marlopt.client.eval.EvaluationResult;

/**
 * Evaluation results as gauges tagged policy: one per scalar figure, named after its JSON key
 * ({@code mean_return} is {@code marl.eval.mean.return}; the seed's keys keep the names fixed by
 * the team contract), and {@code marl.eval.final.info{key}} for every info key.
 */
public final class EvaluationMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes (or updates) a policy's scores. */
    public void evaluated(EvaluationResult result) {
        result.figures().forEach((key, value) ->
                publish("marl.eval." + key.replace('_', '.'), result.policy(), null, value));
        result.finalInfo().forEach((key, value) -> publish("marl.eval.final.info", result.policy(), key, value));
    }

    private void publish(String name, String policy, String infoKey, double value) {
        values.computeIfAbsent(name + "/" + policy + "/" + infoKey, id -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.Builder<?> gauge = Gauge.builder(name, () -> holder.get()).tag("policy", policy)
                    .description("Evaluation result on fresh seeded resets");
            if (infoKey != null) {
                gauge.tag("key", infoKey);
            }
            gauge.register(registry);
            return holder;
        }).set(value);
    }
}
