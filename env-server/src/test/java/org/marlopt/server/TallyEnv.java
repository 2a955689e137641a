package org.marlopt.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.comm.CommParameters;
import org.marlopt.env.comm.Topologies;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/**
 * A tiny environment the tests hand to the server themselves (it is not on ServiceLoader's
 * list). Each agent adds its action, in [-1, 1], to its own counter; the episode terminates once
 * the weighted total of the counters reaches {@code goal}. It declares a parameter of every
 * type, a shared observation ([total, steps taken]), a one-value own observation (the agent's
 * counter), an info array sized by the agent count, score and success keys, an optional message
 * channel, and no reward gradient.
 */
public final class TallyEnv implements EnvDefinition {

    public static final String ID = "Tally-v1";
    private static final int COUNTERS = 0;
    private static final int PROGRESS = 1;
    private static final int REACHED = 2;

    private static final List<ParameterSpec> PARAMETERS = declaredParameters();

    private static List<ParameterSpec> declaredParameters() {
        List<ParameterSpec> parameters = new ArrayList<>(List.of(
                ParameterSpec.integer("num_agents", "Agents, each with its own counter.", 2, 1, 4),
                ParameterSpec.number("goal", "The episode terminates once the weighted total reaches this.", 3.0,
                        0.5, 100),
                ParameterSpec.integer("max_episode_steps", "Episodes are truncated after this many steps.", 10, 1,
                        1000),
                ParameterSpec.choice("start", "Counters start at zero, or uniformly in [-0.5, 0.5].", "zero",
                        List.of("zero", "random")),
                ParameterSpec.numbers("weights", "Per agent, its counter's weight in the total; empty: all 1.",
                        List.of(), 0, 2, 1, 4),
                ParameterSpec.bool("shared_reward", "Every agent is rewarded with the total (true), or with its "
                        + "own weighted counter (false).", true)));
        parameters.addAll(CommParameters.specs(Topologies.RING, 0));
        return List.copyOf(parameters);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Agents add their actions to their own counters until the weighted total reaches the goal.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public ConfiguredEnv configure(Parameters params) {
        int numAgents = params.integer("num_agents");
        double[] weights = params.numbers("weights");
        if (weights.length == 0) {
            weights = new double[numAgents];
            Arrays.fill(weights, 1.0);
        } else if (weights.length != numAgents) {
            throw new EnvArgumentException("params.weights", "weights needs one value per agent (" + numAgents
                    + "), got " + weights.length);
        }
        Settings settings = new Settings(weights, params.number("goal"), params.choice("start").equals("random"),
                params.bool("shared_reward"));
        EnvSpec spec = spec(params, numAgents);
        return ConfiguredEnv.of(spec, () -> new Copy(settings));
    }

    private static EnvSpec spec(Parameters params, int numAgents) {
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .sharedObservation(BoxSpace.vector(2, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY))
                .state(BoxSpace.vector(numAgents, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY))
                .maxEpisodeSteps(params.integer("max_episode_steps"))
                .info(new InfoSpec("counters", "Every agent's counter.", numAgents))
                .info(InfoSpec.scalar("progress", "min(1, total / goal)."))
                .info(InfoSpec.scalar("reached", "1 once the total reached the goal, else 0."))
                .scoreKey("progress")
                .successKey("reached")
                .comm(CommParameters.channel(params, numAgents, -1f, 1f));
        for (int agent = 0; agent < numAgents; agent++) {
            builder.agent("agent_" + agent, BoxSpace.vector(1, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY),
                    BoxSpace.vector(1, -1f, 1f));
        }
        return builder.build();
    }

    private record Settings(double[] weights, double goal, boolean randomStart, boolean sharedReward) {}

    private static final class Copy implements EnvCopy {
        private final Settings settings;
        private final double[] counters;
        private int steps;

        Copy(Settings settings) {
            this.settings = settings;
            this.counters = new double[settings.weights().length];
        }

        @Override
        public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs,
                CopyOutput out) {
            for (int agent = 0; agent < counters.length; agent++) {
                counters[agent] = settings.randomStart() ? random.nextDouble() - 0.5 : 0;
            }
            steps = 0;
            writeInfo(out);
        }

        @Override
        public void step(float[][] actions, CopyOutput out) {
            for (int agent = 0; agent < counters.length; agent++) {
                counters[agent] += actions[agent][0];
            }
            steps++;
            double total = total();
            for (int agent = 0; agent < counters.length; agent++) {
                double own = settings.weights()[agent] * counters[agent];
                out.reward(agent, (float) (settings.sharedReward() ? total : own));
            }
            out.terminated(total >= settings.goal());
            writeInfo(out);
        }

        @Override
        public void observe(CopyOutput out) {
            out.sharedObservation(0, (float) total());
            out.sharedObservation(1, steps);
            for (int agent = 0; agent < counters.length; agent++) {
                out.observation(agent, 0, (float) counters[agent]);
                out.state(agent, (float) counters[agent]);
            }
        }

        private void writeInfo(CopyOutput out) {
            for (int agent = 0; agent < counters.length; agent++) {
                out.info(COUNTERS, agent, counters[agent]);
            }
            double total = total();
            out.info(PROGRESS, Math.min(1, total / settings.goal()));
            out.info(REACHED, total >= settings.goal() ? 1 : 0);
        }

        private double total() {
            double total = 0;
            for (int agent = 0; agent < counters.length; agent++) {
                total += settings.weights()[agent] * counters[agent];
            }
            return total;
        }
    }
}
