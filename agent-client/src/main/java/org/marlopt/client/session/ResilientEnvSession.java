package org.marlopt.client.session;

import java.util.function.Supplier;

/**
 * A session that outlives its Interact stream. When a call fails in transport (see
 * {@link Reconnects#isTransportFailure}), it makes a new session with the same request (a restarted
 * server has lost every session), replays the episode so far on it (see {@link EpisodeLog}), and
 * makes the call again, all within the retry budget. The caller sees the same answers an
 * uninterrupted session would have given, so training continues exactly.
 *
 * <p>The result arrays are those of the session in use, valid until the next call as
 * {@link EnvSession} says.
 */
final class ResilientEnvSession implements EnvSession {

    private final Supplier<EnvSession> maker;
    private final Reconnects reconnects;
    private final String target;
    private final Runnable beforeRetry;
    private final EpisodeLog log;
    private EnvSession current;
    /** The session in use failed in transport: the next attempt makes a new one. */
    private boolean lost;

    /**
     * @param first the session made already
     * @param maker makes another session with the same request
     * @param beforeRetry runs before each new attempt (has the channel connect now)
     */
    ResilientEnvSession(EnvSession first, Supplier<EnvSession> maker, Reconnects reconnects, String target,
                        Runnable beforeRetry) {
        this.current = first;
        this.maker = maker;
        this.reconnects = reconnects;
        this.target = target;
        this.beforeRetry = beforeRetry;
        this.log = new EpisodeLog(reconnects.replayCapBytes());
    }

    @Override
    public SessionSpec spec() {
        return current.spec();
    }

    @Override
    public void reset(long seed) {
        call(() -> current.reset(seed));
        log.reset(seed, current);
    }

    @Override
    public void step(float[][] actions) {
        call(() -> current.step(actions));
        log.step(actions, current);
    }

    private void call(Runnable call) {
        reconnects.run(target, () -> {
            try {
                if (lost) {
                    replaceSession();
                }
                call.run();
            } catch (RuntimeException e) {
                lost |= Reconnects.isTransportFailure(e);
                throw e;
            }
        }, beforeRetry);
    }

    /** Makes a new session, brings it to where the lost one was, and uses it from now on. */
    private void replaceSession() {
        current.close(); // a stream that broke was cancelled already; this only ends the session's bookkeeping
        EnvSession replacement = maker.get();
        try {
            SessionSpec before = current.spec();
            if (!replacement.spec().sameEnv(before) || replacement.spec().numEnvs() != before.numEnvs()) {
                throw new IllegalStateException("the env server at " + target + " made the new session with "
                        + "another spec than the lost one (" + replacement.spec() + " instead of " + current.spec()
                        + "), so training cannot continue on it");
            }
            log.replayOn(replacement);
        } catch (RuntimeException e) {
            replacement.close();
            throw e;
        }
        current = replacement;
        lost = false;
    }

    @Override
    public float[] sharedObservation() {
        return current.sharedObservation();
    }

    @Override
    public float[] ownObservation(int agent) {
        return current.ownObservation(agent);
    }

    @Override
    public boolean[] episodeStart() {
        return current.episodeStart();
    }

    @Override
    public float[] rewards(int agent) {
        return current.rewards(agent);
    }

    @Override
    public float[] rewardGradient(int agent) {
        return current.rewardGradient(agent);
    }

    @Override
    public boolean[] terminated() {
        return current.terminated();
    }

    @Override
    public boolean[] truncated() {
        return current.truncated();
    }

    @Override
    public double[] info(String key) {
        return current.info(key);
    }

    @Override
    public float[] state() {
        return current.state();
    }

    @Override
    public float[] finalSharedObservation() {
        return current.finalSharedObservation();
    }

    @Override
    public float[] finalOwnObservation(int agent) {
        return current.finalOwnObservation(agent);
    }

    @Override
    public float[] finalState() {
        return current.finalState();
    }

    @Override
    public void close() {
        current.close();
    }
}
