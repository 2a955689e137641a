package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.AgentStep;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * The v2 layout of Reset and Step responses: the shared observation once per copy, each agent's
 * own observation (with its inbox) per agent, and final observations exactly in the steps where
 * a copy's episode ended under SAME_STEP autoreset.
 */
class TransitionLayoutTest {

    private TestServer env;

    @BeforeEach
    void start() {
        env = TestServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        env.close();
    }

    @Test
    void theSeedEnvironmentSendsItsParametersOnceAsTheSharedObservation() {
        String session = env.make(3, false);
        ResetResponse reset = env.blocking.reset(TestServer.reset(session, 4));
        assertEquals(3 * 20, reset.getSharedObservationCount(), "num_envs x shared size, once for all 4 agents");
        assertEquals(reset.getStateList(), reset.getSharedObservationList(), "the parameters are also the state");
        assertEquals(4, reset.getAgentsCount());
        for (AgentStep agent : reset.getAgentsList()) {
            assertEquals(0, agent.getObservationCount(), "no own observation");
        }
        StepResponse step = env.blocking.step(TestServer.uniformStep(session, 3, 0.1f, 0.1f, 0.1f, 0.1f));
        assertEquals(3 * 20, step.getSharedObservationCount());
        for (AgentStep agent : step.getAgentsList()) {
            assertEquals(0, agent.getObservationCount());
            assertEquals(3, agent.getRewardCount());
        }
        assertEquals(3, step.getInfoOrThrow("objective").getValuesCount());
    }

    @Test
    void ownObservationsArePerAgentAndEndWithTheInbox() {
        String session = env.blocking.make(TestServer.tally(2, AutoresetMode.AUTORESET_MODE_SAME_STEP)
                .putParams("num_agents", TestServer.integer(3))
                .putParams("goal", TestServer.number(100))
                .putParams("message_size", TestServer.integer(2)).build()).getSessionId();
        ResetResponse reset = env.blocking.reset(TestServer.reset(session, 1));
        assertEquals(2 * 2, reset.getSharedObservationCount());
        for (AgentStep agent : reset.getAgentsList()) {
            assertEquals(2 * 7, agent.getObservationCount(), "per copy: own counter, then 2 slots of 1 + 2");
            assertEquals(0f, agent.getObservation(1), "an empty inbox after reset");
        }
        StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session);
        for (int agent = 0; agent < 3; agent++) {
            float action = 0.5f;
            float[] message = {0.1f * agent, -0.1f * agent};
            step.addActions(TestServer.action("agent_" + agent, action, message[0], message[1],
                    action, message[0], message[1])); // the same in both copies
        }
        StepResponse response = env.blocking.step(step.build());
        assertEquals(List.of(1.5f, 1f, 1.5f, 1f), response.getSharedObservationList(), "[total, steps] per copy");
        float[] agent0 = ServerAssertions.floats(response.getAgents(0).getObservationList());
        float[] copyRow = {0.5f, 1f, 0.1f, -0.1f, 1f, 0.2f, -0.2f}; // counter; from agent 1; from agent 2
        assertArrayEquals(copyRow, Arrays.copyOfRange(agent0, 0, 7));
        assertArrayEquals(copyRow, Arrays.copyOfRange(agent0, 7, 14));
        assertEquals(2 * 3, response.getInfoOrThrow("counters").getValuesCount(), "info size 3 per copy");
    }

    @Test
    void finalObservationsArePresentExactlyWhenACopyEndedUnderSameStep() {
        String session = env.blocking.make(TestServer.tally(2, AutoresetMode.AUTORESET_MODE_SAME_STEP).build())
                .getSessionId();
        env.blocking.reset(TestServer.reset(session, 1));
        StepRequest copy0Moves = tallyStep(session, 1f, 0f); // 2 agents: total +2 per step in copy 0

        assertNoFinal(env.blocking.step(copy0Moves)); // total 2 < goal 3
        StepResponse ended = env.blocking.step(copy0Moves); // total 4: copy 0 terminates and restarts
        assertEquals(List.of(true, false), ended.getTerminatedList());
        for (AgentStep agent : ended.getAgentsList()) {
            assertEquals(List.of(0f, 0f), agent.getObservationList(), "copy 0 restarted; copy 1 never moved");
            assertEquals(List.of(2f, 0f), agent.getFinalObservationList(), "copy 0 ended at 2; copy 1 repeats");
            assertEquals(List.of(4f, 0f), agent.getRewardList(), "the ending transition's shared reward");
        }
        assertEquals(List.of(0f, 0f, 0f, 2f), ended.getSharedObservationList());
        assertEquals(List.of(4f, 2f, 0f, 2f), ended.getFinalSharedObservationList());
        assertEquals(List.of(2f, 2f, 0f, 0f), ended.getFinalStateList());
        assertEquals(List.of(0, 2), ended.getEpisodeStepsList());
        assertNoFinal(env.blocking.step(copy0Moves));
    }

    @Test
    void aTruncatedEpisodeAlsoHasFinalObservations() {
        String session = env.blocking.make(TestServer.tally(1, AutoresetMode.AUTORESET_MODE_SAME_STEP)
                .putParams("max_episode_steps", TestServer.integer(1)).build()).getSessionId();
        env.blocking.reset(TestServer.reset(session, 1));
        StepResponse truncated = env.blocking.step(tallyStep(session, 0.5f));
        assertEquals(List.of(true), truncated.getTruncatedList());
        assertEquals(List.of(0.5f), truncated.getAgents(1).getFinalObservationList());
        assertEquals(List.of(1f, 1f), truncated.getFinalSharedObservationList());
    }

    @Test
    void otherAutoresetModesNeverSendFinalObservations() {
        for (AutoresetMode mode : List.of(AutoresetMode.AUTORESET_MODE_NEXT_STEP, AutoresetMode.AUTORESET_MODE_DISABLED)) {
            String session = env.blocking.make(TestServer.tally(1, mode).build()).getSessionId();
            env.blocking.reset(TestServer.reset(session, 1));
            assertNoFinal(env.blocking.step(tallyStep(session, 1f)));
            StepResponse ended = env.blocking.step(tallyStep(session, 1f));
            assertEquals(List.of(true), ended.getTerminatedList(), mode.name());
            assertNoFinal(ended);
        }
    }

    /** A {@link TallyEnv} step with 2 agents: both agents send {@code perCopy[i]} in copy i. */
    private static StepRequest tallyStep(String session, float... perCopy) {
        return StepRequest.newBuilder().setSessionId(session)
                .addActions(TestServer.action("agent_0", perCopy))
                .addActions(TestServer.action("agent_1", perCopy))
                .build();
    }

    private static void assertNoFinal(StepResponse response) {
        assertEquals(0, response.getFinalSharedObservationCount());
        assertEquals(0, response.getFinalStateCount());
        for (AgentStep agent : response.getAgentsList()) {
            assertEquals(0, agent.getFinalObservationCount());
        }
    }
}
