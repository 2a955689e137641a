package org.marlopt.server;

import org.marlopt.env.VectorEnvSpec;
import org.marlopt.env.vector.VectorEnv;

/**
 * One client's environment on this server. Every use holds the session's monitor
 * ({@code synchronized (session)}), so concurrent calls on one session run one at a time.
 */
final class Session {

    private final String id;
    /** The principal that made the session, the only one that may use it. */
    private final String owner;
    private final VectorEnv env;
    /** Per-agent action buffers the Step translation fills, reused across steps. */
    private final float[][] actionBuffers;
    private long lastUsedNanos;
    private String endReason;

    Session(String id, String owner, VectorEnv env, long nowNanos) {
        this.id = id;
        this.owner = owner;
        this.env = env;
        this.lastUsedNanos = nowNanos;
        VectorEnvSpec spec = env.spec();
        this.actionBuffers = new float[spec.numAgents()][];
        for (int agent = 0; agent < actionBuffers.length; agent++) {
            actionBuffers[agent] = new float[spec.numEnvs() * spec.env().agents().get(agent).actionSpace().size()];
        }
    }

    String id() {
        return id;
    }

    String owner() {
        return owner;
    }

    VectorEnv env() {
        return env;
    }

    VectorEnvSpec spec() {
        return env.spec();
    }

    float[][] actionBuffers() {
        return actionBuffers;
    }

    /** Marks a use; fails with NOT_FOUND once the session has ended. Caller holds the monitor. */
    void touch(long nowNanos) {
        if (endReason != null) {
            throw RequestException.notFound("session_id", "session '" + id + "' " + endReason
                    + "; call Make for a new session");
        }
        lastUsedNanos = nowNanos;
    }

    boolean idleSince(long cutoffNanos) {
        return lastUsedNanos - cutoffNanos < 0;
    }

    /** Ends the session for good; later uses fail with NOT_FOUND. Caller holds the monitor. */
    void end(String reason) {
        endReason = reason;
    }

    boolean ended() {
        return endReason != null;
    }
}
