package org.marlopt.client.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.session.SessionSpec;

/**
 * The stacked team on agents of different sizes: padded (symlog) inputs, sliced actions, bounded
 * actions squashed into their Box, messages linear.
 */
class TeamActorTest {

    /** An Erdos-Renyi graph gives the agents inboxes, so observations, of different lengths. */
    static final Map<String, String> ERDOS_RENYI = Map.of("topology", "erdos_renyi", "edge_probability", "0.4",
            "graph_seed", "3", "max_step", "0.5");
    static final int COPIES = 3;

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    @Test
    void everyAgentActsOnItsOwnObservationPaddedAndItsBoundedActionsStayInTheirBox() {
        try (EnvSession session = env.client.open(new SessionRequest("DistributedLeastSquares-v1", ERDOS_RENYI,
                COPIES, true));
             NDManager manager = NDManager.newBaseManager()) {
            SessionSpec spec = session.spec();
            int agents = spec.numAgents();
            int[] sizes = new int[agents];
            for (int agent = 0; agent < agents; agent++) {
                sizes[agent] = spec.observationSize(agent);
            }
            assertTrue(java.util.Arrays.stream(sizes).distinct().count() > 1, "inboxes of different lengths");
            int inputSize = spec.maxObservationSize();
            int outputSize = spec.maxActionSize();
            List<Model> models = AgentNetwork.newModels(spec.agentNames(), inputSize, 8, outputSize);
            AgentTeam.initialize(models, 5);
            try (AgentTeam team = AgentTeam.fromModels(manager, models)) {
                TeamActor actor = new TeamActor(team, spec, ObservationTransform.SYMLOG);
                session.reset(11);
                NDArray actions = actor.act(manager, session);
                assertEquals(new Shape(agents, COPIES, outputSize), actions.getShape());

                float[] inputs = new float[agents * COPIES * inputSize]; // the padding stays 0
                for (int agent = 0; agent < agents; agent++) {
                    for (int copy = 0; copy < COPIES; copy++) {
                        for (int i = 0; i < spec.ownSize(agent); i++) {
                            float x = session.ownObservation(agent)[copy * spec.ownSize(agent) + i];
                            inputs[(agent * COPIES + copy) * inputSize + i] =
                                    Math.signum(x) * (float) Math.log1p(Math.abs(x));
                        }
                    }
                }
                float[] raw = team.forward(manager.create(inputs, new Shape(agents, COPIES, inputSize)))
                        .toFloatArray();
                float[] acted = actions.toFloatArray();
                float[][] split = actor.newActionArrays();
                actor.split(actions, split);
                for (int agent = 0; agent < agents; agent++) {
                    int envAction = spec.envActionSize(agent);
                    assertEquals(COPIES * spec.actionSize(agent), split[agent].length);
                    for (int copy = 0; copy < COPIES; copy++) {
                        for (int j = 0; j < spec.actionSize(agent); j++) {
                            int padded = (agent * COPIES + copy) * outputSize + j;
                            float expected = j < envAction ? 0.5f * (float) Math.tanh(raw[padded]) : raw[padded];
                            assertEquals(expected, acted[padded], 1e-5, "agent " + agent + " element " + j);
                            assertEquals(acted[padded], split[agent][copy * spec.actionSize(agent) + j]);
                        }
                    }
                }

                session.step(split);
                float[] gradients = actor.scaledRewardGradients(manager, session, -0.5f).toFloatArray();
                for (int agent = 0; agent < agents; agent++) {
                    int actionSize = spec.actionSize(agent);
                    for (int copy = 0; copy < COPIES; copy++) {
                        for (int j = 0; j < outputSize; j++) {
                            float expected = j < actionSize ? -0.5f * session.rewardGradient(agent)[copy * actionSize + j] : 0f;
                            assertEquals(expected, gradients[(agent * COPIES + copy) * outputSize + j]);
                        }
                    }
                }
            } finally {
                models.forEach(Model::close);
            }
        }
    }

    @Test
    void aTeamOfOtherSizesIsRefusedWithTheSizesItNeeds() {
        try (EnvSession session = env.client.open(new SessionRequest("DistributedLeastSquares-v1", Map.of(), 1, false));
             NDManager manager = NDManager.newBaseManager()) {
            List<Model> models = AgentNetwork.newModels(session.spec().agentNames(), 20, 8, 5);
            try (AgentTeam team = AgentTeam.fromModels(manager, models)) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> new TeamActor(team, session.spec(), ObservationTransform.NONE));
                assertTrue(e.getMessage().contains("20 inputs -> 5 outputs") && e.getMessage().contains("largest "
                        + "observation 26, largest action 12"), e.getMessage());
            } finally {
                models.forEach(Model::close);
            }
        }
    }
}
