package org.marlopt.client.agent;

import org.marlopt.client.env.VectorSession;

/** Chooses every agent's action for every copy from the env's current observations. */
public interface Policy {

    /** Name in tables, JSON and metrics: learned, zero, oracle. */
    String name();

    /** The joint action float[agent][copy][actionSize] for the env's current observations. */
    float[] act(VectorSession env);
}
