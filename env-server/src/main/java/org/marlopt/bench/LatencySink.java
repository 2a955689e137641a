package org.marlopt.bench;

@FunctionalInterface
interface LatencySink {
    /** Records one call; false once the measurement is over. */
    boolean record(long nanos);
}
