package org.marlopt.client.session;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the client rides out an env server that goes away for a while (a restart, a brief outage):
 * a call that fails in transport is tried again, with exponential backoff and jitter, until it
 * succeeds or the budget, counted from the first failure, is spent. The server's own error answers
 * (INVALID_ARGUMENT, NOT_FOUND, ...) and timeouts are never retried: the same request would get the
 * same answer. One warning is logged when an outage starts and one line when it ends.
 *
 * <p>resilience4j-retry rather than gRPC's own retries: gRPC's retry policy gives up on a stream
 * once it has been answered, and wait-for-ready only waits for a connection; a session has to be
 * made again and its episode replayed (see {@link ResilientEnvSession}), which is application work
 * that needs an application-level retry.
 */
public final class Reconnects {

    /** Most bytes of actions a session keeps to replay its episode on a new session (see {@link EpisodeLog}). */
    public static final long DEFAULT_REPLAY_CAP_BYTES = 256L * 1024 * 1024;
    /** No retries: a transport failure fails the call at once. */
    public static final Reconnects NONE = new Reconnects(Duration.ZERO, DEFAULT_REPLAY_CAP_BYTES, outage -> { });

    private static final Logger LOG = LoggerFactory.getLogger(Reconnects.class);
    /**
     * 100 ms, growing 1.5-fold, each wait drawn within +-50 %, at most 2 s: a server that is back
     * is found within about 2 s, and a minute's budget costs some 35 attempts.
     */
    private static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 1.5, 0.5, Duration.ofSeconds(2));

    /** Told of every outage ridden out. */
    public interface Listener {
        void recovered(Duration outage);
    }

    private final Duration budget;
    private final long replayCapBytes;
    private final Listener listener;

    /**
     * @param budget how long to keep retrying after a transport failure; zero disables retries
     * @param replayCapBytes most bytes of actions a session keeps to replay its episode
     */
    public Reconnects(Duration budget, long replayCapBytes, Listener listener) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("the retry budget must be >= 0, got " + budget);
        }
        this.budget = budget;
        this.replayCapBytes = replayCapBytes;
        this.listener = listener;
    }

    /** Retries within {@code budget}, keeping up to {@value #DEFAULT_REPLAY_CAP_BYTES} bytes of actions to replay. */
    public static Reconnects within(Duration budget, Listener listener) {
        return new Reconnects(budget, DEFAULT_REPLAY_CAP_BYTES, listener);
    }

    public boolean enabled() {
        return !budget.isZero();
    }

    long replayCapBytes() {
        return replayCapBytes;
    }

    /**
     * Whether {@code failure} is the transport's rather than the server's answer: the server is
     * unreachable, or the stream broke or was cancelled under the caller (an interrupt of this
     * thread, which also cancels, is the caller's wish to stop and does not count).
     */
    static boolean isTransportFailure(RuntimeException failure) {
        if (!(failure instanceof EnvCallException call)) {
            return false;
        }
        return call.code() == Status.Code.UNAVAILABLE
                || call.code() == Status.Code.CANCELLED && !Thread.currentThread().isInterrupted();
    }

    /**
     * Runs {@code attempt}; after a transport failure runs it again, {@code beforeRetry} first,
     * until it succeeds, fails otherwise, or the budget is spent.
     *
     * @param target the server, for messages
     */
    <T> T call(String target, Supplier<T> attempt, Runnable beforeRetry) {
        try {
            return attempt.get();
        } catch (RuntimeException failure) {
            if (!enabled() || !isTransportFailure(failure)) {
                throw failure;
            }
            return rideOut(target, (EnvCallException) failure, attempt, beforeRetry);
        }
    }

    void run(String target, Runnable attempt, Runnable beforeRetry) {
        call(target, () -> {
            attempt.run();
            return null;
        }, beforeRetry);
    }

    private <T> T rideOut(String target, EnvCallException first, Supplier<T> attempt, Runnable beforeRetry) {
        long start = System.nanoTime();
        LOG.warn("lost the env server at {} ({}); retrying for up to {} s (--retry-budget)", target,
                first.getMessage(), budget.toSeconds());
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(attempts -> Math.min(BACKOFF.apply(attempts), Math.max(millisLeft(start), 0)))
                .retryOnException(e -> e instanceof RuntimeException failure && isTransportFailure(failure)
                        && millisLeft(start) > 0)
                .build();
        Supplier<T> retried = Retry.decorateSupplier(Retry.of("env-server", config), () -> {
            beforeRetry.run();
            return attempt.get();
        });
        try {
            T result = retried.get();
            Duration outage = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("the env server at {} is back after {}; continuing", target, seconds(outage));
            listener.recovered(outage);
            return result;
        } catch (RuntimeException failure) {
            if (!isTransportFailure(failure) || Thread.currentThread().isInterrupted()) {
                throw failure;
            }
            throw new EnvCallException(((EnvCallException) failure).code(), "gave up on the env server at " + target
                    + " after " + seconds(Duration.ofNanos(System.nanoTime() - start)) + " of retries (last failure: "
                    + failure.getMessage() + "); raise --retry-budget SECONDS to wait longer (now "
                    + budget.toSeconds() + "), or check that the server is running", null);
        }
    }

    private long millisLeft(long start) {
        return budget.toMillis() - (System.nanoTime() - start) / 1_000_000;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
