package org.marlopt.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;

/** Checks every environment's tests share: spaces, determinism, reward gradient. */
public final class EnvChecks {

    private EnvChecks() {}

    /** Zero actions (environment action and message) for every agent and copy. */
    public static float[][] zeroActions(VectorEnv env) {
        EnvSpec spec = env.spec().env();
        float[][] actions = new float[spec.numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[env.spec().numEnvs() * spec.agents().get(agent).actionSpace().size()];
        }
        return actions;
    }

    /** Actions uniform in [-scale, scale] for every element, message included, from {@code random}. */
    public static float[][] randomActions(VectorEnv env, SplittableRandom random, double scale) {
        float[][] actions = zeroActions(env);
        for (float[] action : actions) {
            for (int i = 0; i < action.length; i++) {
                action[i] = (float) (scale * (2 * random.nextDouble() - 1));
            }
        }
        return actions;
    }

    /** Every observation element (own, inbox, shared) and state element of every copy lies in its Box. */
    public static void assertWithinSpaces(VectorEnv env, Transition transition) {
        EnvSpec spec = env.spec().env();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            AgentSpec agentSpec = spec.agents().get(agent);
            assertWithin(agentSpec.name() + " observation", agentSpec.observationSpace(), transition.observation(agent));
        }
        assertWithin("shared observation", spec.sharedObservationSpace(), transition.sharedObservation());
        assertWithin("state", spec.stateSpace(), transition.state());
    }

    private static void assertWithin(String what, BoxSpace space, float[] rows) {
        if (space.size() == 0) {
            assertEquals(0, rows.length, what + " of an empty space");
            return;
        }
        assertEquals(0, rows.length % space.size(), what + " length");
        float[] low = space.low();
        float[] high = space.high();
        for (int i = 0; i < rows.length; i++) {
            int element = i % space.size();
            assertTrue(rows[i] >= low[element] && rows[i] <= high[element], what + " element " + element + " of copy "
                    + i / space.size() + " is " + rows[i] + ", outside [" + low[element] + ", " + high[element] + "]");
        }
    }

    /**
     * A reset and {@code steps} steps with random actions, each call flattened to one row: every
     * observation, shared observation, state, reward, reward gradient (when on), flag, step count
     * and info value. Widening float to double keeps every bit, so equal rows mean equal calls.
     */
    public static List<double[]> rollout(VectorEnv env, long seed, int steps, long actionSeed) {
        SplittableRandom actionRandom = new SplittableRandom(actionSeed);
        List<double[]> rows = new ArrayList<>();
        rows.add(flatten(env, env.reset(seed)));
        for (int step = 0; step < steps; step++) {
            rows.add(flatten(env, env.step(randomActions(env, actionRandom, 1.5))));
        }
        return rows;
    }

    private static double[] flatten(VectorEnv env, Transition transition) {
        EnvSpec spec = env.spec().env();
        List<Double> values = new ArrayList<>();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            addAll(values, transition.observation(agent));
            addAll(values, transition.reward(agent));
            if (transition.rewardGradient(agent) != null) {
                addAll(values, transition.rewardGradient(agent));
            }
        }
        addAll(values, transition.sharedObservation());
        addAll(values, transition.state());
        for (int copy = 0; copy < env.spec().numEnvs(); copy++) {
            values.add(transition.terminated()[copy] ? 1.0 : 0.0);
            values.add(transition.truncated()[copy] ? 1.0 : 0.0);
            values.add((double) transition.episodeSteps()[copy]);
        }
        for (int key = 0; key < spec.info().size(); key++) {
            for (double value : transition.info(key)) {
                values.add(value);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void addAll(List<Double> values, float[] floats) {
        for (float value : floats) {
            values.add((double) value);
        }
    }

    /**
     * Compares each agent's reported d reward / d action (single copy) with central differences of
     * its reward: for each environment-action element, the env is made afresh, brought to the same
     * state by {@code prepare} and stepped with the element moved by +-epsilon. {@code tolerance}
     * bounds the truncation error; the float rounding of the rewards is allowed for on top.
     */
    public static void assertRewardGradientMatchesFiniteDifferences(Supplier<VectorEnv> make,
            Consumer<VectorEnv> prepare, float[][] actions, float epsilon, double tolerance) {
        VectorEnv env = make.get();
        prepare.accept(env);
        Transition reported = env.step(actions);
        EnvSpec spec = env.spec().env();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            float[] gradient = reported.rewardGradient(agent).clone();
            for (int element = 0; element < spec.agents().get(agent).envActionSize(); element++) {
                float up = actions[agent][element] + epsilon;
                float down = actions[agent][element] - epsilon;
                float rewardUp = rewardWith(make, prepare, actions, agent, element, up);
                float rewardDown = rewardWith(make, prepare, actions, agent, element, down);
                double difference = ((double) rewardUp - rewardDown) / (up - down);
                // rewards are floats: each is off by up to half an ulp, which the difference quotient magnifies
                double rounding = Math.ulp(Math.max(Math.abs(rewardUp), Math.abs(rewardDown))) / (up - down);
                assertEquals(difference, gradient[element], tolerance + rounding, "agent " + agent + " element "
                        + element);
            }
            for (int element = spec.agents().get(agent).envActionSize(); element < gradient.length; element++) {
                assertEquals(0f, gradient[element], "message element " + element + " of agent " + agent);
            }
        }
    }

    private static float rewardWith(Supplier<VectorEnv> make, Consumer<VectorEnv> prepare, float[][] actions,
                                     int agent, int element, float value) {
        VectorEnv env = make.get();
        prepare.accept(env);
        float[][] moved = new float[actions.length][];
        for (int i = 0; i < actions.length; i++) {
            moved[i] = actions[i].clone();
        }
        moved[agent][element] = value;
        return env.step(moved).reward(agent)[0];
    }
}
