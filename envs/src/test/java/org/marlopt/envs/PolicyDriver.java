package org.marlopt.envs;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import org.marlopt.env.policy.TeamPolicy;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;

/**
 * Runs a team policy against a vector env in process, the loop a client runs over gRPC: the
 * policy acts on the last transition's observations, the env steps with those actions.
 */
public final class PolicyDriver {

    private final VectorEnv env;
    private final TeamPolicy policy;
    private final float[][] observations;
    private final float[][] actions;
    private final boolean[] episodeStart;
    private Transition last;

    public PolicyDriver(VectorEnv env, TeamPolicy policy) {
        this.env = env;
        this.policy = policy;
        this.observations = new float[env.spec().numAgents()][];
        this.actions = EnvChecks.zeroActions(env);
        this.episodeStart = new boolean[env.spec().numEnvs()];
    }

    public Transition reset(long seed) {
        return reset(OptionalLong.of(seed), Map.of());
    }

    public Transition reset(OptionalLong seed, Map<String, Object> options) {
        last = env.reset(seed, options);
        Arrays.fill(episodeStart, true);
        return last;
    }

    /** One env step with the policy's actions; a copy whose episode ended (and was reset in that step) starts over. */
    public Transition step() {
        for (int agent = 0; agent < observations.length; agent++) {
            observations[agent] = last.observation(agent);
        }
        policy.act(last.sharedObservation(), observations, episodeStart, actions);
        last = env.step(actions);
        for (int copy = 0; copy < episodeStart.length; copy++) {
            episodeStart[copy] = last.terminated()[copy] || last.truncated()[copy];
        }
        return last;
    }

    /** Info {@code key} (a scalar) of {@code copy} in the last transition. */
    public double info(String key, int copy) {
        int index = env.spec().env().infoIndex(key);
        if (index < 0) {
            throw new IllegalArgumentException(env.spec().envId() + " has no info '" + key + "'");
        }
        return last.info(index)[copy];
    }

    /** Info {@code key} after each of {@code steps} further steps: [step - 1][copy]. */
    public double[][] trace(int steps, String key) {
        double[][] values = new double[steps][env.spec().numEnvs()];
        for (int step = 0; step < steps; step++) {
            step();
            for (int copy = 0; copy < values[step].length; copy++) {
                values[step][copy] = info(key, copy);
            }
        }
        return values;
    }

    /** The first step (1-based) after which the traced value of {@code copy} is below {@code threshold}, or -1. */
    public static int firstStepBelow(double[][] trace, int copy, double threshold) {
        for (int step = 0; step < trace.length; step++) {
            if (trace[step][copy] < threshold) {
                return step + 1;
            }
        }
        return -1;
    }

    /** The largest traced value of {@code copy} from step {@code from} (1-based) on. */
    public static double maxFrom(double[][] trace, int copy, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int step = from - 1; step < trace.length; step++) {
            max = Math.max(max, trace[step][copy]);
        }
        return max;
    }
}
