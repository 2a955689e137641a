package org.marlopt.server;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/**
 * A one-agent test environment whose steps wait at a gate the test opens, so a test can hold a
 * session's lock while other calls queue behind it. Its observation counts the steps applied.
 */
final class GatedEnv implements EnvDefinition {

    static final String ID = "Gated-v0";

    /** Released once per step as it reaches the gate. */
    final Semaphore entered = new Semaphore(0);
    /** Steps wait here until the test counts it down; from then on they pass. */
    final CountDownLatch open = new CountDownLatch(1);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Counts steps; each step waits until the test opens the gate.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public ConfiguredEnv configure(Parameters params) {
        EnvSpec spec = EnvSpec.builder(ID, params)
                .state(BoxSpace.vector(1, 0f, Float.POSITIVE_INFINITY))
                .maxEpisodeSteps(1000)
                .agent("a", BoxSpace.vector(1, 0f, Float.POSITIVE_INFINITY), BoxSpace.vector(1, -1f, 1f))
                .build();
        return ConfiguredEnv.of(spec, Copy::new);
    }

    private final class Copy implements EnvCopy {
        private int steps;

        @Override
        public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs,
                CopyOutput out) {
            steps = 0;
        }

        @Override
        public void step(float[][] actions, CopyOutput out) {
            entered.release();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
            steps++;
            out.reward(0, 0f);
        }

        @Override
        public void observe(CopyOutput out) {
            out.observation(0, 0, steps);
            out.state(0, steps);
        }
    }
}
