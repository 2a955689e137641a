package org.marlopt.server;

import org.marlopt.env.AgentSpec;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorEnvSpec;

/**
 * The heap a session may hold, computed from its spec before anything is allocated: per copy
 * the environment's own footprint ({@link ConfiguredEnv#copyFootprintBytes()}), the vector
 * environment's result rows and the copy's share of the messages a Step builds; plus a fixed
 * part. An upper estimate: the memory budget must hold while every session is busy.
 *
 * @param fixedBytes what does not grow with num_envs
 * @param perCopyBytes what each copy adds
 */
record SessionPrice(long fixedBytes, long perCopyBytes) {

    /** The session object, its spec, id and the vector environment's per-agent arrays. */
    private static final long SESSION_BYTES = 16 * 1024;
    /** A copy's two random streams, its slot in the copy arrays and the episode flags. */
    private static final long VECTOR_OVERHEAD_PER_COPY = 128;
    /**
     * Copies of the largest response alive during a Step: the built message, its serialized
     * frame, and the response cached for a sequence retry.
     */
    private static final int RESPONSE_COPIES = 3;
    /** The received frame and the parsed request. */
    private static final int REQUEST_COPIES = 2;

    static SessionPrice of(ConfiguredEnv configured, VectorEnvSpec spec) {
        long messageFixed = (RESPONSE_COPIES + REQUEST_COPIES) * MessageBudget.fixedBytes(spec.env());
        long messagePerCopy = RESPONSE_COPIES * MessageBudget.stepResponseBytesPerCopy(spec)
                + REQUEST_COPIES * MessageBudget.stepRequestBytesPerCopy(spec.env());
        return new SessionPrice(SESSION_BYTES + messageFixed,
                configured.copyFootprintBytes() + vectorBytesPerCopy(spec) + messagePerCopy);
    }

    /** The price of {@code numEnvs} copies; Long.MAX_VALUE when it overflows. */
    long bytes(int numEnvs) {
        long high = Math.multiplyHigh(perCopyBytes, numEnvs);
        long copies = perCopyBytes * numEnvs;
        long total = copies + fixedBytes;
        return high != 0 || copies < 0 || total < 0 ? Long.MAX_VALUE : total;
    }

    /** How many copies a session could have within {@code bytes}. */
    long copiesWithin(long bytes) {
        return Math.max(0, (bytes - fixedBytes) / perCopyBytes);
    }

    /**
     * The vector environment's rows of one copy: observations, state and their final rows,
     * rewards, reward gradients, info, the server's action buffer and the message channel's
     * inboxes.
     */
    private static long vectorBytesPerCopy(VectorEnvSpec spec) {
        EnvSpec env = spec.env();
        long floats = 2L * env.sharedObservationSpace().size() + 2L * env.stateSpace().size();
        for (AgentSpec agent : env.agents()) {
            floats += 2L * agent.observationSpace().size() + 1 + agent.actionSpace().size();
            if (spec.options().rewardGradient()) {
                floats += agent.actionSpace().size();
            }
            if (env.comm().enabled()) {
                floats += 2L * (agent.observationSpace().size() + env.comm().slotSize());
            }
        }
        long doubles = 0;
        for (InfoSpec info : env.info()) {
            doubles += info.size();
        }
        return VECTOR_OVERHEAD_PER_COPY + Float.BYTES * floats + Double.BYTES * doubles;
    }
}
