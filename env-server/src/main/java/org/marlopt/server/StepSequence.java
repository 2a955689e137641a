package org.marlopt.server;

import org.marlopt.proto.env.v2.StepResponse;

/**
 * A session's Step sequence numbers (StepRequest.sequence), which make a retried Step safe: the
 * next number steps, a repeat of the last applied one gets that Step's response again, anything
 * else is refused. Sequence 0 opts out. Guarded by the session's monitor.
 */
final class StepSequence {

    private long lastApplied;
    /** The response of the Step numbered {@link #lastApplied}, while a repeat may still ask for it. */
    private Reply<StepResponse> lastResponse;

    /**
     * The cached response when {@code sequence} repeats the last applied Step, null when it is
     * the next one (or 0: not used); FAILED_PRECONDITION naming the expected number otherwise.
     */
    Reply<StepResponse> replayOrCheck(long sequence) {
        if (sequence == 0 || sequence == lastApplied + 1) {
            return null;
        }
        if (sequence == lastApplied && lastResponse != null) {
            return lastResponse;
        }
        String repeat = sequence == lastApplied
                ? "sequence " + sequence + " was applied but a later Reset or unnumbered Step replaced its "
                        + "result; "
                : "";
        throw new RequestException(io.grpc.Status.Code.FAILED_PRECONDITION, "sequence", repeat
                + "expected sequence " + (lastApplied + 1) + " (the last applied Step was "
                + (lastApplied == 0 ? "none" : "number " + lastApplied) + "), got "
                + Long.toUnsignedString(sequence) + "; resend with sequence " + (lastApplied + 1)
                + ", or 0 to step without sequence checks");
    }

    /** Records an applied Step; with sequence 0 nothing is cached, as no retry can name it. */
    void applied(long sequence, Reply<StepResponse> response) {
        if (sequence == 0) {
            lastResponse = null;
        } else {
            lastApplied = sequence;
            lastResponse = response;
        }
    }

    /** A Reset replaced the last Step's result: a repeat can no longer be answered with it. */
    void reset() {
        lastResponse = null;
    }
}
