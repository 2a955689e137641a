package org.marlopt.client.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What it takes to bring a new session to where an old one was: the seed of the last reset and
 * every joint action since, with a fingerprint of each answer the caller saw. The environments are
 * deterministic given the seed and the actions, so replaying them gives the same answers; a
 * fingerprint that differs means they are not (another server version, say), and the replay fails
 * rather than let training go on from a different state.
 *
 * <p>The actions kept are capped in bytes; past the cap they are dropped, and only a replay, should
 * one be needed before the next reset, fails.
 */
final class EpisodeLog {

    private final long capBytes;
    private boolean reset;
    private long seed;
    /** The answer to the reset, then one per step. */
    private final List<Long> fingerprints = new ArrayList<>();
    private final List<float[][]> actions = new ArrayList<>();
    private long bytes;
    private boolean overCap;

    EpisodeLog(long capBytes) {
        this.capBytes = capBytes;
    }

    /** {@code session} has just been reset with {@code seed}. */
    void reset(long seed, EnvSession session) {
        this.reset = true;
        this.seed = seed;
        fingerprints.clear();
        actions.clear();
        bytes = 0;
        overCap = false;
        fingerprints.add(fingerprint(session));
    }

    /** {@code session} has just taken {@code joint} (copied: the caller reuses its arrays). */
    void step(float[][] joint, EnvSession session) {
        if (!reset || overCap) {
            return;
        }
        long size = Arrays.stream(joint).mapToLong(agent -> (long) agent.length * Float.BYTES).sum();
        if (bytes + size > capBytes) {
            overCap = true;
            actions.clear();
            return;
        }
        bytes += size;
        actions.add(Arrays.stream(joint).map(float[]::clone).toArray(float[][]::new));
        fingerprints.add(fingerprint(session));
    }

    /**
     * Resets {@code session} with the remembered seed and takes the remembered actions, checking
     * every answer against the one the caller saw; nothing when no reset has been seen yet.
     *
     * @return the steps replayed
     * @throws IllegalStateException when the actions passed the cap, or an answer differs
     */
    int replayOn(EnvSession session) {
        if (!reset) {
            return 0;
        }
        if (overCap) {
            throw new IllegalStateException("cannot continue the episode on a new env session: the actions taken "
                    + "since its reset (seed " + seed + ") passed the replay cap of " + capBytes / (1024 * 1024)
                    + " MiB, so they were not kept; use fewer copies or shorter episodes");
        }
        session.reset(seed);
        requireSameAnswer(0, session);
        for (int step = 0; step < actions.size(); step++) {
            session.step(actions.get(step));
            requireSameAnswer(step + 1, session);
        }
        return actions.size();
    }

    private void requireSameAnswer(int step, EnvSession session) {
        if (fingerprint(session) != fingerprints.get(step)) {
            throw new IllegalStateException("the env server answered the replay of the episode from seed " + seed
                    + " differently at " + (step == 0 ? "the reset" : "step " + step) + " than before the outage, "
                    + "so training cannot continue exactly; is the restarted server another version, or the "
                    + "environment not deterministic given its seed and actions?");
        }
    }

    /** A hash of what the caller sees: observations, state, rewards and episode ends. */
    static long fingerprint(EnvSession session) {
        SessionSpec spec = session.spec();
        long hash = Arrays.hashCode(session.sharedObservation());
        hash = 31 * hash + Arrays.hashCode(session.state());
        hash = 31 * hash + Arrays.hashCode(session.terminated());
        hash = 31 * hash + Arrays.hashCode(session.truncated());
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            hash = 31 * hash + Arrays.hashCode(session.ownObservation(agent));
            hash = 31 * hash + Arrays.hashCode(session.rewards(agent));
        }
        return hash;
    }
}
