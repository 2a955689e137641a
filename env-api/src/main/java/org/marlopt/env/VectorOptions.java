package org.marlopt.env;

/**
 * Per-session options of a {@link VectorEnv}.
 *
 * @param numEnvs copies of the environment stepped together (at least 1)
 * @param rewardGradient whether steps also compute d reward / d action for every agent
 * @param autoresetMode how ended copies restart; {@code null} means the default for numEnvs
 */
public record VectorOptions(int numEnvs, boolean rewardGradient, AutoresetMode autoresetMode) {

    public VectorOptions {
        if (numEnvs < 1) {
            throw new EnvArgumentException("options.num_envs",
                    "num_envs must be at least 1, got " + numEnvs);
        }
        if (autoresetMode == null) {
            autoresetMode = numEnvs == 1 ? AutoresetMode.DISABLED : AutoresetMode.SAME_STEP;
        }
    }

    /** One copy, no gradient, no autoreset: the plain single environment. */
    public static VectorOptions single() {
        return new VectorOptions(1, false, AutoresetMode.DISABLED);
    }
}
