package org.marlopt.client.env;

import java.nio.ByteBuffer;

/**
 * A session of {@code numEnvs} copies of a multi-agent environment, stepped together, with
 * same-step autoreset. Results are reused across calls and valid until the next call;
 * observations and reward gradients are direct native-order buffers, ready to copy into DJL
 * arrays without another copy:
 * <ul>
 *   <li>observations and actions: float[agent][copy][size];</li>
 *   <li>reward gradients: float[agent][copy][actionSize], d reward / d action;</li>
 *   <li>per-copy rewards (shared by the agents), terminated, truncated and distance;</li>
 *   <li>states: float[copy][stateSize] after the step (after autoreset), and the state each
 *       copy's episode ended in ({@link #endStates()}; for copies that did not end, the current
 *       state).</li>
 * </ul>
 */
public interface VectorSession extends AutoCloseable {

    EnvDims dims();

    /** Starts new episodes in every copy; copy i is seeded {@code seed + i}. */
    void reset(long seed);

    /** Applies one joint action: {@code actions} holds float[agent][copy][actionSize]. */
    void step(float[] actions);

    ByteBuffer observations();

    ByteBuffer rewardGradients();

    float[] rewards();

    boolean[] terminated();

    boolean[] truncated();

    /**
     * Per copy: |target - sum of parameters| after the step's transition, in the double precision
     * the server decides {@code terminated} in (so {@code distance < successThreshold} agrees with it).
     */
    double[] distances();

    float[] states();

    float[] endStates();

    @Override
    void close();
}
