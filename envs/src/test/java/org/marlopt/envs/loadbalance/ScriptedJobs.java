package org.marlopt.envs.loadbalance;

import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.BatchedVectorEnv;

/** A job stream given in full by a test, and a one-copy environment that runs it. */
final class ScriptedJobs implements JobStream {

    private final double[] times;
    private final double[] sizes;
    private final int[] dispatchers;
    private int next;

    /** Jobs {@code i} arrive at times[i] with sizes[i], at dispatcher dispatchers[i]. */
    ScriptedJobs(double[] times, double[] sizes, int[] dispatchers) {
        this.times = times;
        this.sizes = sizes;
        this.dispatchers = dispatchers;
    }

    @Override
    public void restart(SplittableRandom random) {
        next = 0;
    }

    @Override
    public void next(Arrival job) {
        if (next == times.length) {
            job.time = Double.POSITIVE_INFINITY;
            return;
        }
        job.time = times[next];
        job.size = sizes[next];
        job.dispatcher = dispatchers[next];
        next++;
    }

    /** {@value LoadBalance#ID} with {@code params}, its jobs from this script, one copy, no autoreset. */
    BatchedVectorEnv environment(Map<String, ?> params) {
        Parameters resolved = Parameters.resolve(new LoadBalance().parameters(), params);
        LoadBalance.Settings settings = LoadBalance.Settings.of(resolved);
        ConfiguredEnv configured = ConfiguredEnv.of(LoadBalance.spec(settings, resolved), () -> settings.parkMode()
                ? new ParkLoadBalanceCopy(settings, this) : new LoadBalanceCopy(settings, this));
        return new BatchedVectorEnv(configured, new VectorOptions(1, false, AutoresetMode.DISABLED));
    }
}
