package org.marlopt.client.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Duration;
import org.marlopt.metrics.JvmMetrics;
import org.marlopt.metrics.PrometheusEndpoint;

/**
 * The client's Prometheus registry (common tags application, run, algo, env), JVM meters, and the
 * /metrics endpoint when a port is given. Closing can hold the endpoint open a while so a scraper
 * sees the final values of a short job.
 */
public final class MetricsServer implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmMetrics jvmMetrics;
    private final PrometheusEndpoint endpoint;
    private final Duration hold;

    private MetricsServer(PrometheusMeterRegistry registry, JvmMetrics jvmMetrics, PrometheusEndpoint endpoint,
                          Duration hold) {
        this.registry = registry;
        this.jvmMetrics = jvmMetrics;
        this.endpoint = endpoint;
        this.hold = hold;
    }

    /**
     * @param host address /metrics binds, e.g. 0.0.0.0 in a container, 127.0.0.1 to keep it local
     * @param port /metrics port; 0 keeps the meters without serving them. When another process
     *     holds it, /metrics is served on a free port instead and {@code warnings} says which: a
     *     busy port must not stop a training run that was about to start
     * @param hold how long {@link #close()} keeps serving after the job
     */
    public static MetricsServer start(String host, int port, Duration hold, String runId, String algorithm,
                                      String envId, PrintStream warnings) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(Tags.of("application", "agent-client", "run", runId, "algo", algorithm,
                "env", envId));
        JvmMetrics jvmMetrics = JvmMetrics.bindTo(registry);
        PrometheusEndpoint endpoint = null;
        if (port > 0) {
            try {
                endpoint = serve(registry, host, port, warnings);
            } catch (IOException e) {
                jvmMetrics.close();
                registry.close();
                throw new IOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
                        + " (choose another --metrics-port, or 0 to disable)", e);
            }
        }
        return new MetricsServer(registry, jvmMetrics, endpoint, hold);
    }

    private static PrometheusEndpoint serve(PrometheusMeterRegistry registry, String host, int port,
                                            PrintStream warnings) throws IOException {
        try {
            return PrometheusEndpoint.start(registry, host, port);
        } catch (BindException busy) {
            PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, host, 0);
            warnings.printf("warning: metrics port %d on %s is in use (%s); serving /metrics on free port %d "
                    + "instead (choose one with --metrics-port, or 0 to disable)%n", port, host, busy.getMessage(),
                    endpoint.port());
            return endpoint;
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The port /metrics is served on, or 0 when not served. */
    public int port() {
        return endpoint == null ? 0 : endpoint.port();
    }

    @Override
    public void close() {
        try {
            if (endpoint != null && !hold.isZero()) {
                Thread.sleep(hold.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
            jvmMetrics.close();
            registry.close();
        }
    }
}
