package org.marlopt.client.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.marlopt.client.session.Reconnects;

/**
 * Outages of the env server the client rode out: {@code marl.client.reconnects} counts them, one
 * per call that recovered (a session made again and its episode replayed, or a first connection that
 * had to wait), and {@code marl.client.outage} times them.
 */
public final class ReconnectMetrics implements Reconnects.Listener {

    private final Counter reconnects;
    private final Timer outages;

    public ReconnectMetrics(MeterRegistry registry) {
        this.reconnects = Counter.builder("marl.client.reconnects")
                .description("Env server outages ridden out (calls that succeeded after retrying)").register(registry);
        this.outages = Timer.builder("marl.client.outage")
                .description("How long each env server outage lasted, from the first failure to the recovery")
                .register(registry);
    }

    @Override
    public void recovered(Duration outage) {
        reconnects.increment();
        outages.record(outage);
    }
}
