package org.marlopt.client.agent;

import org.marlopt.client.env.EnvDims;
import org.marlopt.client.env.VectorSession;

/** The floor: no agent ever moves its parameters. */
public final class ZeroPolicy implements Policy {

    @Override
    public String name() {
        return "zero";
    }

    @Override
    public float[] act(VectorSession env) {
        EnvDims dims = env.dims();
        return new float[dims.numAgents() * dims.numEnvs() * dims.actionSize()];
    }
}
