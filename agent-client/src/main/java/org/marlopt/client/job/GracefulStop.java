package org.marlopt.client.job;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM ({@code docker stop}, {@code kill}) as a request to stop at the next
 * safe point: a job polls {@link #requested()} between its units of work (a training round, a
 * run of a grid), saves what it has and exits with {@link #exitCode()}, 128 + the signal's number
 * as a shell reports it (130 for SIGINT, 143 for SIGTERM). The same signal again aborts at once.
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported, kept for exactly this use) and not a
 * shutdown hook: a hook runs only once the JVM has begun to exit, beside every other hook, so the
 * embedded env server and gRPC would shut down under the round still being trained; the exit code
 * is then the JVM's, and a second Ctrl-C during the hooks does nothing. A handler instead leaves
 * the JVM running: the round finishes with its server, DJL's native threads and the CSV writer
 * untouched, and the job decides the exit code. Only a repeat of the same signal aborts, because
 * a Ctrl-C reaches a whole process group: a grid's child run gets the terminal's SIGINT and also
 * the SIGTERM its parent forwards (for {@code docker stop}, which signals the parent only), and
 * that pair must still stop it gracefully.
 */
public final class GracefulStop {

    private static final List<String> SIGNALS = List.of("INT", "TERM");
    /** Set by the agent-client's main only: commands run inside a test or another program leave its signals alone. */
    private static volatile boolean ownsSignals;

    private final AtomicReference<Signal> received = new AtomicReference<>();
    private final List<Runnable> onRequest = new CopyOnWriteArrayList<>();
    private final PrintStream console;
    private final String howItStops;

    private GracefulStop(PrintStream console, String howItStops) {
        this.console = console;
        this.howItStops = howItStops;
    }

    /** Lets {@link #install} take over SIGINT and SIGTERM: this JVM is the agent-client program. */
    public static void ownSignals() {
        ownsSignals = true;
    }

    /**
     * Handles SIGINT and SIGTERM for the rest of this JVM's life (when the program {@link #ownSignals owns
     * them}; else a stop that is never requested), telling the user on {@code console} what happens
     * next ({@code howItStops}, e.g. "stopping after this round").
     */
    public static GracefulStop install(PrintStream console, String howItStops) {
        GracefulStop stop = new GracefulStop(console, howItStops);
        if (!ownsSignals) {
            return stop;
        }
        for (String name : SIGNALS) {
            Signal.handle(new Signal(name), stop::received);
        }
        return stop;
    }

    /** A stop that no signal requests: for jobs run inside another program (tests, benchmarks). */
    public static GracefulStop never() {
        return new GracefulStop(System.out, "");
    }

    /** Also runs {@code action} when a stop is requested, e.g. to pass it on to a child process. */
    public void onRequest(Runnable action) {
        onRequest.add(action);
    }

    /** No longer runs {@code action} (given to {@link #onRequest}) on a stop. */
    public void remove(Runnable action) {
        onRequest.remove(action);
    }

    public boolean requested() {
        return received.get() != null;
    }

    /** SIGINT or SIGTERM, the signal that requested the stop. */
    public String signalName() {
        return "SIG" + received.get().getName();
    }

    /** 128 + the signal's number, as a shell reports a process a signal ended: 130 (SIGINT), 143 (SIGTERM). */
    public int exitCode() {
        return 128 + received.get().getNumber();
    }

    private void received(Signal signal) {
        if (received.compareAndSet(null, signal)) {
            console.printf("%nreceived SIG%s: %s (send SIG%s again to abort at once)%n", signal.getName(),
                    howItStops, signal.getName());
            onRequest.forEach(Runnable::run);
        } else if (received.get().getName().equals(signal.getName())) {
            console.printf("%nreceived SIG%s again: aborting%n", signal.getName());
            console.flush();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }
}
