package org.marlopt.client;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/**
 * A test environment the client knows nothing about: agent i observes its index, acts with one
 * value in [-1, 1] and is rewarded (i + 1) times its action, so agents earn different rewards.
 * Info: "total", the sum of the actions, and "actions", a vector of every agent's action. No
 * score, no success; the reward gradient only when "differentiable" is true.
 */
public final class ToyEnv implements EnvDefinition {

    public static final String ID = "Toy-v0";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Agent i is rewarded (i + 1) times its action in [-1, 1].";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("num_agents", "Agents.", 2, 1, 8),
                ParameterSpec.integer("max_episode_steps", "Step limit.", 3, 1, 100),
                ParameterSpec.bool("differentiable", "Whether the reward gradient is offered.", false));
    }

    @Override
    public ConfiguredEnv configure(Parameters params) {
        int numAgents = params.integer("num_agents");
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .state(BoxSpace.vector(numAgents, -1f, 1f))
                .maxEpisodeSteps(params.integer("max_episode_steps"))
                .info(InfoSpec.scalar("total", "Sum of the actions."))
                .info(new InfoSpec("actions", "Every agent's action.", numAgents))
                .rewardGradient(params.bool("differentiable"));
        for (int i = 0; i < numAgents; i++) {
            builder.agent("agent_" + i, BoxSpace.vector(1, 0f, numAgents), BoxSpace.vector(1, -1f, 1f));
        }
        EnvSpec spec = builder.build();
        return ConfiguredEnv.of(spec, () -> new Copy(numAgents));
    }

    private static final class Copy implements EnvCopy {
        private final float[] actions;

        Copy(int numAgents) {
            this.actions = new float[numAgents];
        }

        @Override
        public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs,
                          CopyOutput out) {
            java.util.Arrays.fill(actions, 0f);
            writeInfo(out);
        }

        @Override
        public void step(float[][] agentActions, CopyOutput out) {
            for (int i = 0; i < actions.length; i++) {
                actions[i] = agentActions[i][0];
                out.reward(i, (i + 1) * actions[i]);
                if (out.wantsRewardGradient()) {
                    out.rewardGradient(i, 0, i + 1);
                }
            }
            writeInfo(out);
        }

        @Override
        public void observe(CopyOutput out) {
            for (int i = 0; i < actions.length; i++) {
                out.observation(i, 0, i);
                out.state(i, actions[i]);
            }
        }

        private void writeInfo(CopyOutput out) {
            double total = 0;
            for (int i = 0; i < actions.length; i++) {
                total += actions[i];
                out.info(1, i, actions[i]);
            }
            out.info(0, total);
        }
    }
}
