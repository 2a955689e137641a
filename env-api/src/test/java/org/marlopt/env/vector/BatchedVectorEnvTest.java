package org.marlopt.env.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EpisodeStateException;
import org.marlopt.env.VectorOptions;

class BatchedVectorEnvTest {

    private static final EnvRegistry REGISTRY = new EnvRegistry(List.of(new CounterEnv()));

    private static BatchedVectorEnv make(int numEnvs, AutoresetMode mode, Map<String, ?> params) {
        return REGISTRY.make(CounterEnv.ID, params, new VectorOptions(numEnvs, true, mode));
    }

    /** Every agent sends {@code value} in every copy. */
    private static float[][] actions(BatchedVectorEnv env, float value) {
        int numEnvs = env.spec().numEnvs();
        float[][] actions = new float[env.spec().numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[numEnvs * env.spec().env().agents().get(agent).actionSpace().size()];
            Arrays.fill(actions[agent], value);
        }
        return actions;
    }

    @Test
    void copyIOfABatchIsTheSingleEnvSeededSeedPlusI() {
        BatchedVectorEnv batch = make(3, AutoresetMode.SAME_STEP, Map.of());
        Transition batched = batch.reset(100);
        for (int copy = 0; copy < 3; copy++) {
            BatchedVectorEnv single = make(1, AutoresetMode.DISABLED, Map.of());
            Transition alone = single.reset(100 + copy);
            assertArrayEquals(alone.state(), Arrays.copyOfRange(batched.state(), copy * 3, copy * 3 + 3));
            assertArrayEquals(alone.observation(2), Arrays.copyOfRange(batched.observation(2), copy, copy + 1));
        }
    }

    @Test
    void sameStepAutoresetReportsTheEndingTransitionAndTheFinalObservations() {
        BatchedVectorEnv env = make(2, AutoresetMode.SAME_STEP, Map.of("max_episode_steps", 2));
        env.reset(7);
        Transition first = env.step(actions(env, 0.5f));
        assertNull(first.finalState(), "nothing ended in the first step");
        assertNull(first.finalObservation(0));
        float[] stateBeforeEnd = first.state().clone();

        Transition ended = env.step(actions(env, 0.25f));
        assertTrue(ended.truncated()[0] && ended.truncated()[1]);
        assertEquals(0, ended.episodeSteps()[0], "the copy already belongs to its new episode");
        assertEquals(0f, ended.sharedObservation()[0], "the new episode's first shared observation");
        assertEquals(2f, ended.finalSharedObservation()[0], "the ended episode's last shared observation");
        for (int i = 0; i < stateBeforeEnd.length; i++) {
            assertEquals(stateBeforeEnd[i] + 0.25f, ended.finalState()[i], 1e-6f);
        }
        assertEquals(ended.finalState()[1], ended.finalObservation(1)[0], "agent 1's own final observation");
        assertEquals(0.75f, ended.reward(0)[0], 1e-6f, "the reward of the ending transition");
        double endingTotal = ended.finalState()[0] + ended.finalState()[1] + ended.finalState()[2];
        assertEquals(endingTotal, ended.info(0)[0], 1e-5, "info of the ending transition, not of the reset");
    }

    @Test
    void sameStepFinalRowsOfRunningCopiesRepeatTheirCurrentObservation() {
        // counters start in [0, 1): only copy 0, whose three counters each gain 1, passes the goal 3
        BatchedVectorEnv env = make(2, AutoresetMode.SAME_STEP, Map.of("goal", 3.0, "max_episode_steps", 50));
        env.reset(3);
        float[][] actions = actions(env, 0f);
        for (float[] agentActions : actions) {
            agentActions[0] = 1f;
        }
        Transition step = env.step(actions);
        assertTrue(step.terminated()[0]);
        assertFalse(step.terminated()[1]);
        assertEquals(step.observation(0)[1], step.finalObservation(0)[1], "copy 1 did not end");
        assertEquals(step.state()[3], step.finalState()[3]);
        assertEquals(1f, step.sharedObservation()[1]);
    }

    @Test
    void nextStepAutoresetIgnoresTheActionsOfTheResettingStep() {
        BatchedVectorEnv env = make(1, AutoresetMode.NEXT_STEP, Map.of("max_episode_steps", 1));
        env.reset(5);
        Transition ended = env.step(actions(env, 1f));
        assertTrue(ended.truncated()[0]);
        assertFalse(ended.autoreset()[0]);
        Transition reset = env.step(actions(env, 1f));
        assertTrue(reset.autoreset()[0]);
        assertEquals(0f, reset.reward(0)[0]);
        assertEquals(0, reset.episodeSteps()[0]);
        assertFalse(reset.truncated()[0]);
    }

    @Test
    void disabledAutoresetRefusesToStepAnEndedEpisodeUntilReset() {
        BatchedVectorEnv env = make(1, AutoresetMode.DISABLED, Map.of("max_episode_steps", 1));
        assertThrows(EpisodeStateException.class, () -> env.step(actions(env, 0f)), "step before reset");
        env.reset(5);
        env.step(actions(env, 0f));
        assertThrows(EpisodeStateException.class, () -> env.step(actions(env, 0f)));
        env.reset(5);
        assertEquals(1, env.step(actions(env, 0f)).episodeSteps()[0]);
    }

    @Test
    void badActionsAreRejectedWithTheFieldAndLeaveTheEnvUnchanged() {
        BatchedVectorEnv env = make(2, AutoresetMode.SAME_STEP, Map.of());
        BatchedVectorEnv twin = make(2, AutoresetMode.SAME_STEP, Map.of());
        env.reset(9);
        twin.reset(9);
        float[][] nan = actions(env, 0.1f);
        nan[1][1] = Float.NaN;
        EnvArgumentException notFinite = assertThrows(EnvArgumentException.class, () -> env.step(nan));
        assertEquals("actions[1].values", notFinite.field());
        float[][] shortAction = actions(env, 0.1f);
        shortAction[2] = new float[1];
        assertEquals("actions[2].values", assertThrows(EnvArgumentException.class, () -> env.step(shortAction)).field());
        assertEquals("actions", assertThrows(EnvArgumentException.class, () -> env.step(new float[2][2])).field());
        assertArrayEquals(twin.step(actions(twin, 0.1f)).state(), env.step(actions(env, 0.1f)).state());
    }

    @Test
    void actionsAreClippedIntoTheBoxAndAClippedElementHasNoGradient() {
        BatchedVectorEnv env = make(1, AutoresetMode.DISABLED, Map.of());
        float start = env.reset(11).state()[0];
        float[][] actions = actions(env, 0.5f);
        actions[0][0] = 3f;
        Transition step = env.step(actions);
        assertEquals(start + 1f, step.state()[0], 1e-6f, "clipped to the action bound 1");
        assertEquals(0f, step.rewardGradient(0)[0], "the clip bound this element");
        assertEquals(1f, step.rewardGradient(1)[0], "inside the box");
        assertEquals(1f + 0.5f + 0.5f, step.reward(2)[0], 1e-6f, "the reward sees the clipped action");
    }

    @Test
    void theRewardGradientIsRefusedWhenTheEnvironmentHasNone() {
        EnvArgumentException refused = assertThrows(EnvArgumentException.class,
                () -> make(1, AutoresetMode.DISABLED, Map.of("differentiable", false)));
        assertEquals("options.reward_gradient", refused.field());
    }

    @Test
    void resetOptionsTheEnvironmentDoesNotTakeAreIgnored() {
        float[] plain = make(1, AutoresetMode.DISABLED, Map.of()).reset(1).state().clone();
        BatchedVectorEnv env = make(1, AutoresetMode.DISABLED, Map.of());
        assertArrayEquals(plain, env.reset(java.util.OptionalLong.of(1), Map.of("options", 1.0)).state());
    }
}
