package org.marlopt.server;

import java.nio.charset.StandardCharsets;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorEnvSpec;

/**
 * Checks at Make that the session's largest messages (a Step request and response) fit the
 * server's message size limit, so a session never fails mid-episode on size.
 */
final class MessageBudget {

    /** Tags and lengths of the response's own fields. */
    private static final long OVERHEAD = 256;
    /** Framing of one AgentStep (or AgentAction) and its fields, besides the agent's name. */
    private static final long OVERHEAD_PER_AGENT = 48;
    /** Framing of one info map entry and its DoubleArray, besides the key. */
    private static final long OVERHEAD_PER_INFO = 32;
    /** terminated, truncated and autoreset (one byte each, packed) and episode_steps (varint, at most 5). */
    private static final long FLAGS_AND_COUNTS_PER_COPY = 3 + 5;

    private MessageBudget() {}

    static void check(VectorEnvSpec spec, int maxMessageBytes) {
        long fixed = fixedBytes(spec.env());
        long perCopy = Math.max(stepResponseBytesPerCopy(spec), stepRequestBytesPerCopy(spec.env()));
        long largest = fixed + perCopy * spec.numEnvs();
        if (largest > maxMessageBytes) {
            long fitting = Math.max(0, (maxMessageBytes - fixed) / perCopy);
            throw RequestException.exhausted("options.num_envs", "a Step message of this session "
                    + "would take about " + largest + " bytes, above the server's max message size of "
                    + maxMessageBytes + " bytes; use num_envs <= " + fitting + " or start the server "
                    + "with a larger --max-message-bytes");
        }
    }

    /** What does not grow with num_envs: framing, agent names and info keys. */
    static long fixedBytes(EnvSpec env) {
        long bytes = OVERHEAD;
        for (AgentSpec agent : env.agents()) {
            bytes += OVERHEAD_PER_AGENT + utf8Length(agent.name());
        }
        for (InfoSpec info : env.info()) {
            bytes += OVERHEAD_PER_INFO + utf8Length(info.name());
        }
        return bytes;
    }

    /**
     * Upper bound of one copy's bytes in a StepResponse: the shared observation and state once
     * each plus their final rows, every agent's own observation and final observation, reward
     * and (when asked for) reward gradient, the info arrays, flags and step counts.
     */
    static long stepResponseBytesPerCopy(VectorEnvSpec spec) {
        EnvSpec env = spec.env();
        long floats = 2L * env.sharedObservationSpace().size() + 2L * env.stateSpace().size();
        for (AgentSpec agent : env.agents()) {
            floats += 2L * agent.observationSpace().size() + 1;
            if (spec.options().rewardGradient()) {
                floats += agent.actionSpace().size();
            }
        }
        long doubles = 0;
        for (InfoSpec info : env.info()) {
            doubles += info.size();
        }
        return 4 * floats + 8 * doubles + FLAGS_AND_COUNTS_PER_COPY;
    }

    /** One copy's actions, environment action and message part, every agent. */
    static long stepRequestBytesPerCopy(EnvSpec env) {
        long floats = 0;
        for (AgentSpec agent : env.agents()) {
            floats += agent.actionSpace().size();
        }
        return 4 * floats;
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
