package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.proto.env.v2.AgentSpec;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.Capabilities;
import org.marlopt.proto.env.v2.CommSpec;
import org.marlopt.proto.env.v2.Edge;
import org.marlopt.proto.env.v2.EnvSpec;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.InfoSpec;
import org.marlopt.proto.env.v2.ListEnvironmentsRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ParameterInfo;
import org.marlopt.proto.env.v2.ParameterType;
import org.marlopt.proto.env.v2.ParameterValue;
import org.marlopt.proto.env.v2.Part;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.ScoreReference;

class RegistryAndCapabilitiesTest {

    @Test
    void capabilitiesReportVersionsEnvironmentsAndLimits() throws InterruptedException {
        try (TestServer env = TestServer.start(TestServer.config().withMaxSessions(7).withMaxNumEnvs(128))) {
            Capabilities capabilities = env.blocking.getCapabilities(GetCapabilitiesRequest.getDefaultInstance());
            assertEquals("v2", capabilities.getProtocolVersion());
            assertFalse(capabilities.getServerVersion().isEmpty());
            assertFalse(capabilities.getServerVersion().contains("${"), "version filtered at build time");
            assertEquals(TestServer.REGISTRY.ids(), capabilities.getEnvIdsList());
            assertTrue(capabilities.getEnvIdsList().containsAll(List.of(TestServer.ENV_ID, TallyEnv.ID)));
            assertEquals(7, capabilities.getLimits().getMaxSessions());
            assertEquals(128, capabilities.getLimits().getMaxNumEnvs());
            assertEquals(16 * 1024 * 1024, capabilities.getLimits().getMaxMessageBytes());
            assertEquals(600, capabilities.getLimits().getSessionTtlSeconds());
            assertEquals(3, capabilities.getAutoresetModesCount());
        }
    }

    @Test
    void listEnvironmentsServesEveryParameterOfEveryEnvironmentTyped() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            Map<String, EnvironmentInfo> served = env.blocking
                    .listEnvironments(ListEnvironmentsRequest.getDefaultInstance()).getEnvironmentsList().stream()
                    .collect(Collectors.toMap(EnvironmentInfo::getId, Function.identity()));
            assertEquals(TestServer.REGISTRY.ids().size(), served.size());
            for (EnvDefinition definition : TestServer.REGISTRY.definitions()) {
                EnvironmentInfo info = served.get(definition.id());
                assertEquals(definition.description(), info.getDescription());
                List<ParameterSpec> declared = definition.parameters();
                assertEquals(declared.size(), info.getParametersCount(), definition.id());
                for (int i = 0; i < declared.size(); i++) {
                    assertServedAsDeclared(declared.get(i), info.getParameters(i), definition.id());
                }
            }
        }
    }

    private static void assertServedAsDeclared(ParameterSpec declared, ParameterInfo served, String envId) {
        String where = envId + " " + declared.name();
        assertEquals(declared.name(), served.getName(), where);
        assertFalse(served.getDescription().isBlank(), where);
        assertEquals(declared.description(), served.getDescription(), where);
        assertEquals(ParameterType.valueOf("PARAMETER_TYPE_" + declared.type().name()), served.getType(), where);
        assertEquals(declared.defaultValue(), plain(served.getDefaultValue()), where);
        assertEquals(declared.min(), served.getMin(), where);
        assertEquals(declared.max(), served.getMax(), where);
        assertEquals(declared.choices(), served.getChoicesList(), where);
        assertEquals(declared.minLength(), served.getMinLength(), where);
        assertEquals(declared.maxLength(), served.getMaxLength(), where);
    }

    /** The Java value a parameter value stands for; its class shows which kind was sent. */
    private static Object plain(ParameterValue value) {
        return switch (value.getKindCase()) {
            case NUMBER -> value.getNumber();
            case INTEGER -> value.getInteger();
            case BOOLEAN -> value.getBoolean();
            case TEXT -> value.getText();
            case NUMBERS -> value.getNumbers().getValuesList();
            case KIND_NOT_SET -> null;
        };
    }

    @Test
    void typedParametersReachTheClientAsDeclared() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            Map<String, ParameterInfo> tally = env.blocking.listEnvironments(ListEnvironmentsRequest.getDefaultInstance())
                    .getEnvironmentsList().stream().filter(info -> info.getId().equals(TallyEnv.ID)).findFirst()
                    .orElseThrow().getParametersList().stream()
                    .collect(Collectors.toMap(ParameterInfo::getName, Function.identity()));
            ParameterInfo numAgents = tally.get("num_agents");
            assertEquals(ParameterType.PARAMETER_TYPE_INTEGER, numAgents.getType());
            assertEquals(2, numAgents.getDefaultValue().getInteger());
            assertEquals(1.0, numAgents.getMin());
            assertEquals(4.0, numAgents.getMax());
            assertEquals(3.0, tally.get("goal").getDefaultValue().getNumber());
            assertEquals(List.of("zero", "random"), tally.get("start").getChoicesList());
            assertEquals("zero", tally.get("start").getDefaultValue().getText());
            ParameterInfo weights = tally.get("weights");
            assertEquals(ParameterType.PARAMETER_TYPE_NUMBER_LIST, weights.getType());
            assertTrue(weights.getDefaultValue().hasNumbers());
            assertEquals(0, weights.getDefaultValue().getNumbers().getValuesCount());
            assertEquals(1, weights.getMinLength());
            assertEquals(4, weights.getMaxLength());
            assertTrue(tally.get("shared_reward").getDefaultValue().getBoolean());
            assertEquals(ParameterType.PARAMETER_TYPE_BOOLEAN, tally.get("shared_reward").getType());
        }
    }

    @Test
    void makeReturnsTheSeedEnvironmentsFullSpec() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            EnvSpec spec = env.makeResponse(1, true).getSpec();
            assertEquals(TestServer.ENV_ID, spec.getEnvId());
            assertEquals(List.of("agent_0", "agent_1", "agent_2", "agent_3"),
                    spec.getAgentsList().stream().map(AgentSpec::getName).toList());
            AgentSpec agent = spec.getAgents(1);
            assertEquals(List.of(0), agent.getObservationSpace().getShapeList(), "the parameters are shared, not own");
            assertEquals(List.of(part("own", 0, 0)), agent.getObservationPartsList());
            assertEquals(List.of(5), agent.getActionSpace().getShapeList());
            assertEquals(Float.NEGATIVE_INFINITY, agent.getActionSpace().getLow(0));
            assertEquals(List.of(part("action", 0, 5)), agent.getActionPartsList());
            assertEquals(List.of(20), spec.getSharedObservationSpace().getShapeList());
            assertEquals(-1f, spec.getSharedObservationSpace().getLow(0));
            assertEquals(1f, spec.getSharedObservationSpace().getHigh(19));
            assertEquals(List.of(20), spec.getStateSpace().getShapeList());
            assertEquals(50, spec.getMaxEpisodeSteps());
            assertEquals(5.0, spec.getParamsOrThrow("target").getNumber());
            assertEquals(4, spec.getParamsOrThrow("num_agents").getInteger());
            assertEquals(5, spec.getParamsCount(), "every declared parameter, defaults filled in");
            assertEquals(1, spec.getOptions().getNumEnvs());
            assertTrue(spec.getOptions().getRewardGradient());
            assertEquals(AutoresetMode.AUTORESET_MODE_DISABLED, spec.getOptions().getAutoresetMode());
            assertEquals(List.of("objective", "distance", "solved"),
                    spec.getInfoList().stream().map(InfoSpec::getName).toList());
            assertTrue(spec.getInfoList().stream().allMatch(info -> info.getSize() == 1 && !info.getDescription().isBlank()));
            assertTrue(spec.getRewardGradientAvailable());
            assertEquals("solved", spec.getSuccessKey());
            assertEquals("", spec.getScoreKey());
            assertEquals(ScoreReference.newBuilder().setNaivePolicy("zero").setOptimumPolicy("oracle")
                    .setOptimumKind("optimum").build(), spec.getScoreReference());
            assertEquals(0, spec.getComm().getMessageSize(), "no message channel");
        }
    }

    @Test
    void anEnvironmentWithAScoreKeySendsNoScoreReference() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            EnvSpec spec = env.blocking.make(MakeRequest.newBuilder().setEnvId("ResourceShare-v1").build()).getSpec();
            assertEquals("score", spec.getScoreKey());
            assertFalse(spec.hasScoreReference());
        }
    }

    @Test
    void makeReturnsTheMessageChannelWithItsPartsAndWeights() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            EnvSpec spec = env.blocking.make(TestServer.tally(2, AutoresetMode.AUTORESET_MODE_UNSPECIFIED)
                    .putParams("num_agents", TestServer.integer(3))
                    .putParams("message_size", TestServer.integer(2))
                    .putParams("message_delay", TestServer.integer(1))
                    .putParams("message_drop_probability", TestServer.number(0.25)).build()).getSpec();
            for (AgentSpec agent : spec.getAgentsList()) {
                // own counter, then one slot (presence flag + 2 values) per ring neighbour
                assertEquals(List.of(part("own", 0, 1), part("inbox", 1, 6)), agent.getObservationPartsList());
                assertEquals(List.of(7), agent.getObservationSpace().getShapeList());
                assertEquals(List.of(part("action", 0, 1), part("message", 1, 2)), agent.getActionPartsList());
            }
            CommSpec comm = spec.getComm();
            assertEquals(2, comm.getMessageSize());
            assertEquals(1, comm.getDelay());
            assertEquals(0.25, comm.getDropProbability());
            assertEquals("ring", comm.getTopology());
            List<String> edges = comm.getEdgesList().stream().map(edge -> edge.getFrom() + "->" + edge.getTo()).toList();
            assertEquals(List.of("1->0", "2->0", "0->1", "2->1", "0->2", "1->2"), edges, "sorted by (to, from)");
            for (Edge edge : comm.getEdgesList()) {
                assertEquals(1.0 / 3, edge.getWeight(), 1e-12, "Metropolis-Hastings: 1 / (1 + max degree 2)");
            }
            assertEquals(List.of(3, 1, 1), spec.getInfoList().stream().map(InfoSpec::getSize).toList());
            assertEquals("progress", spec.getScoreKey());
            assertEquals("reached", spec.getSuccessKey());
            assertFalse(spec.getRewardGradientAvailable());
            assertEquals(List.of(2), spec.getSharedObservationSpace().getShapeList());
        }
    }

    @Test
    void aServerServesExactlyTheEnvironmentsItIsGiven() throws InterruptedException {
        EnvRegistry ownOnly = new EnvRegistry(List.of(new TallyEnv()));
        try (TestServer env = TestServer.start(TestServer.config(), ownOnly)) {
            assertEquals(List.of(TallyEnv.ID),
                    env.blocking.getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getEnvIdsList());
            String session = env.blocking.make(TestServer.tally(1, AutoresetMode.AUTORESET_MODE_UNSPECIFIED).build())
                    .getSessionId();
            assertEquals(2, env.blocking.reset(ResetRequest.newBuilder().setSessionId(session).setSeed(1).build())
                    .getSharedObservationCount());
            StatusRuntimeException notOffered = assertThrows(StatusRuntimeException.class,
                    () -> env.blocking.make(TestServer.makeRequest(1, false)));
            assertEquals(Status.Code.INVALID_ARGUMENT, notOffered.getStatus().getCode());
            assertTrue(notOffered.getStatus().getDescription().startsWith("env_id: "));
            assertTrue(notOffered.getStatus().getDescription().contains(TallyEnv.ID), "lists what is offered");
        }
    }

    private static Part part(String name, int offset, int size) {
        return Part.newBuilder().setName(name).setOffset(offset).setSize(size).build();
    }
}
