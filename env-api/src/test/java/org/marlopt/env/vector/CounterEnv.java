package org.marlopt.env.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.comm.CommParameters;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;

/**
 * A tiny environment for testing the vector layer: each agent owns a counter that starts
 * uniform in [0, 1) and moves by its action (in [-1, 1]); the shared observation is the step
 * count; every agent gets the sum of the actions as reward (gradient 1 per action element); the
 * episode terminates once the counters sum above {@code goal}.
 */
final class CounterEnv implements EnvDefinition {

    static final String ID = "Counter-v0";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Test counters.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> specs = new ArrayList<>(List.of(
                ParameterSpec.integer("num_agents", "Agents.", 3, 1, 16),
                ParameterSpec.number("goal", "Terminates when the counters sum above this.", 100, -1e9, 1e9),
                ParameterSpec.integer("max_episode_steps", "Step limit.", 4, 1, 1000),
                ParameterSpec.bool("differentiable", "Whether the reward gradient is offered.", true)));
        specs.addAll(CommParameters.specs("ring", 0));
        return specs;
    }

    @Override
    public ConfiguredEnv configure(Parameters params) {
        int numAgents = params.integer("num_agents");
        double goal = params.number("goal");
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .sharedObservation(BoxSpace.vector(1, 0f, Float.POSITIVE_INFINITY))
                .state(BoxSpace.vector(numAgents, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY))
                .maxEpisodeSteps(params.integer("max_episode_steps"))
                .info(InfoSpec.scalar("total", "Sum of the counters."))
                .info(new InfoSpec("counters", "Every counter.", numAgents))
                .comm(CommParameters.channel(params, numAgents, -100f, 100f))
                .rewardGradient(params.bool("differentiable"));
        for (int i = 0; i < numAgents; i++) {
            builder.agent("agent_" + i, BoxSpace.vector(1, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY),
                    BoxSpace.vector(1, -1f, 1f));
        }
        EnvSpec spec = builder.build();
        return ConfiguredEnv.of(spec, () -> new Copy(numAgents, goal));
    }

    private static final class Copy implements EnvCopy {
        private final double[] counters;
        private final double goal;
        private int steps;

        Copy(int numAgents, double goal) {
            this.counters = new double[numAgents];
            this.goal = goal;
        }

        @Override
        public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs,
                          CopyOutput out) {
            for (int i = 0; i < counters.length; i++) {
                counters[i] = random.nextDouble();
            }
            steps = 0;
            writeInfo(out);
        }

        @Override
        public void step(float[][] actions, CopyOutput out) {
            double sum = 0;
            for (int i = 0; i < counters.length; i++) {
                counters[i] += actions[i][0];
                sum += actions[i][0];
                out.rewardGradient(i, 0, 1f);
            }
            steps++;
            out.sharedReward((float) sum);
            writeInfo(out);
            out.terminated(total() > goal);
        }

        @Override
        public void observe(CopyOutput out) {
            out.sharedObservation(0, steps);
            for (int i = 0; i < counters.length; i++) {
                out.observation(i, 0, (float) counters[i]);
                out.state(i, (float) counters[i]);
            }
        }

        private void writeInfo(CopyOutput out) {
            out.info(0, total());
            for (int i = 0; i < counters.length; i++) {
                out.info(1, i, counters[i]);
            }
        }

        private double total() {
            double total = 0;
            for (double counter : counters) {
                total += counter;
            }
            return total;
        }
    }
}
