package org.marlopt.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * JVM and process meters shared by the server and the client: memory, GC pauses, threads,
 * class loading, CPU ({@code process_cpu_usage}) and uptime.
 */
public final class JvmMetrics implements AutoCloseable {

    private final JvmGcMetrics gcMetrics;

    private JvmMetrics(JvmGcMetrics gcMetrics) {
        this.gcMetrics = gcMetrics;
    }

    /**
     * Binds the JVM and process binders to the registry. Close the result to stop listening for
     * GC notifications (needed only when the registry is discarded before the JVM exits).
     */
    public static JvmMetrics bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        return new JvmMetrics(gcMetrics);
    }

    @Override
    public void close() {
        gcMetrics.close();
    }
}
