package org.marlopt.server;

import org.marlopt.env.AgentSpace;
import org.marlopt.env.VectorEnvSpec;

/**
 * Checks at Make that the session's largest messages (a Step request and response) fit the
 * server's message size limit, so a session never fails mid-episode on size.
 */
final class MessageBudget {

    /** Per-field framing allowance: tags, lengths, agent names. */
    private static final long OVERHEAD_PER_AGENT = 64;
    private static final long OVERHEAD = 256;

    private MessageBudget() {}

    static void check(VectorEnvSpec spec, int maxMessageBytes) {
        long perCopy = stepResponseBytesPerCopy(spec);
        long largest = OVERHEAD + spec.numAgents() * OVERHEAD_PER_AGENT + perCopy * spec.numEnvs();
        if (largest > maxMessageBytes) {
            long fitting = Math.max(0, (maxMessageBytes - OVERHEAD - spec.numAgents() * OVERHEAD_PER_AGENT) / perCopy);
            throw RequestException.exhausted("options.num_envs", "a Step response of this session "
                    + "would take about " + largest + " bytes, above the server's max message size of "
                    + maxMessageBytes + " bytes; use num_envs <= " + fitting + " or start the server "
                    + "with a larger --max-message-bytes");
        }
    }

    /** Upper bound of one copy's bytes in a StepResponse (always larger than its StepRequest). */
    private static long stepResponseBytesPerCopy(VectorEnvSpec spec) {
        long floats = 2L * spec.stateSpace().size(); // state and final_state
        for (AgentSpace agent : spec.agents()) {
            floats += agent.observationSpace().size() + 1; // observation and reward
            if (spec.options().rewardGradient()) {
                floats += agent.actionSpace().size();
            }
        }
        long doubles = spec.infoKeys().size();
        long flagsAndCounts = 3 + 5; // terminated, truncated, autoreset; episode_steps varint
        return 4 * floats + 8 * doubles + flagsAndCounts;
    }
}
