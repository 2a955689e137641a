package org.marlopt.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The env server's own meters (names are a fixed contract with the dashboards):
 * {@code marl.env.sessions.active}, {@code marl.env.resets}, {@code marl.env.steps},
 * {@code marl.env.step.latency} and {@code marl.env.errors}.
 */
public final class EnvServerMetrics {

    private final MeterRegistry registry;
    private final Map<String, EnvMeters> byEnv = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    /**
     * @param envIds env ids whose meters exist from the start
     * @param methods RPC method names whose error counters start at 0
     * @param errorCodes status code names the server can return, pre-registered per method
     * @param activeSessions reads the number of open sessions
     */
    public EnvServerMetrics(MeterRegistry registry, Collection<String> envIds,
            Collection<String> methods, Collection<String> errorCodes, IntSupplier activeSessions) {
        this.registry = registry;
        Gauge.builder("marl.env.sessions.active", activeSessions, IntSupplier::getAsInt)
                .description("Sessions open on this server")
                .strongReference(true) // the supplier is a lambda nothing else holds
                .register(registry);
        envIds.forEach(this::metersOf);
        for (String method : methods) {
            for (String code : errorCodes) {
                errorCounter(method, code);
            }
        }
    }

    public void recordReset(String envId) {
        metersOf(envId).resets.increment();
    }

    /** One Step call that advanced {@code numEnvs} copies in {@code nanos}. */
    public void recordStep(String envId, int numEnvs, long nanos) {
        EnvMeters meters = metersOf(envId);
        meters.steps.increment(numEnvs);
        meters.stepLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A rejected call, by RPC method name and status code name. */
    public void recordError(String method, String code) {
        errorCounter(method, code).increment();
    }

    private Counter errorCounter(String method, String code) {
        return errors.computeIfAbsent(method + '/' + code, key -> Counter.builder("marl.env.errors")
                .description("Calls rejected with a non-OK status, by method and status code")
                .tags("method", method, "code", code)
                .register(registry));
    }

    private EnvMeters metersOf(String envId) {
        return byEnv.computeIfAbsent(envId, id -> new EnvMeters(registry, id));
    }

    private static final class EnvMeters {
        final Counter resets;
        final Counter steps;
        final Timer stepLatency;

        EnvMeters(MeterRegistry registry, String envId) {
            resets = Counter.builder("marl.env.resets")
                    .description("Reset calls")
                    .tag("env", envId)
                    .register(registry);
            steps = Counter.builder("marl.env.steps")
                    .description("Environment steps; a batched Step counts each of its num_envs copies")
                    .tag("env", envId)
                    .register(registry);
            stepLatency = Timer.builder("marl.env.step.latency")
                    .description("Server-side time to handle one Step call")
                    .tag("env", envId)
                    .publishPercentileHistogram()
                    .register(registry);
        }
    }
}
