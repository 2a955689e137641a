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
    /** What the session reserved of the server's memory budget, returned when it ends. */
    private final long reservedBytes;
    private final StepSequence steps = new StepSequence();
    private final TransitionWire wire;
    private long lastUsedNanos;
    /**
     * Set by the first use (or by the stream that made it): until then only the Make call that
     * made it knows its id, and the session is closed if that call fails or nobody uses it soon.
     */
    private boolean claimed;
    private String endReason;

    Session(String id, String owner, VectorEnv env, long reservedBytes, long nowNanos) {
        this.id = id;
        this.owner = owner;
        this.env = env;
        this.reservedBytes = reservedBytes;
        this.lastUsedNanos = nowNanos;
        VectorEnvSpec spec = env.spec();
        this.actionBuffers = new float[spec.numAgents()][];
        for (int agent = 0; agent < actionBuffers.length; agent++) {
            actionBuffers[agent] = new float[spec.numEnvs() * spec.env().agents().get(agent).actionSpace().size()];
        }
        this.wire = new TransitionWire(spec);
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

    /** Writes this session's answers as wire bytes (bulk reply encoding). */
    TransitionWire wire() {
        return wire;
    }

    long reservedBytes() {
        return reservedBytes;
    }

    /** The Step sequence numbers; caller holds the monitor. */
    StepSequence steps() {
        return steps;
    }

    /** Marks a use; fails with NOT_FOUND once the session has ended. Caller holds the monitor. */
    void touch(long nowNanos) {
        if (endReason != null) {
            throw RequestException.notFound("session_id", "session '" + id + "' " + endReason
                    + "; call Make for a new session");
        }
        lastUsedNanos = nowNanos;
        claimed = true;
    }

    /** Caller holds the monitor. */
    void claim() {
        claimed = true;
    }

    boolean claimed() {
        return claimed;
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
