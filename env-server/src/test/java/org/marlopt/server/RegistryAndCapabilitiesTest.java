package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.marlopt.env.v1.AgentSpec;
import org.marlopt.env.v1.Capabilities;
import org.marlopt.env.v1.EnvSpec;
import org.marlopt.env.v1.EnvironmentInfo;
import org.marlopt.env.v1.GetCapabilitiesRequest;
import org.marlopt.env.v1.ListEnvironmentsRequest;
import org.marlopt.env.v1.ParameterInfo;

class RegistryAndCapabilitiesTest {

    @Test
    void capabilitiesReportVersionsEnvironmentsAndLimits() throws InterruptedException {
        try (TestServer env = TestServer.start(TestServer.config().withMaxSessions(7).withMaxNumEnvs(128))) {
            Capabilities capabilities = env.blocking.getCapabilities(GetCapabilitiesRequest.getDefaultInstance());
            assertEquals("v1", capabilities.getProtocolVersion());
            assertFalse(capabilities.getServerVersion().isEmpty());
            assertFalse(capabilities.getServerVersion().contains("${"), "version filtered at build time");
            assertEquals(List.of(TestServer.ENV_ID), capabilities.getEnvIdsList());
            assertEquals(7, capabilities.getLimits().getMaxSessions());
            assertEquals(128, capabilities.getLimits().getMaxNumEnvs());
            assertEquals(16 * 1024 * 1024, capabilities.getLimits().getMaxMessageBytes());
            assertEquals(600, capabilities.getLimits().getSessionTtlSeconds());
            assertEquals(3, capabilities.getAutoresetModesCount());
        }
    }

    @Test
    void registryListsTheSeedEnvironmentWithItsDefaults() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            List<EnvironmentInfo> environments = env.blocking
                    .listEnvironments(ListEnvironmentsRequest.getDefaultInstance()).getEnvironmentsList();
            assertEquals(1, environments.size());
            EnvironmentInfo info = environments.get(0);
            assertEquals(TestServer.ENV_ID, info.getId());
            assertFalse(info.getDescription().isBlank());
            assertEquals(List.of("num_agents", "param_dim", "target", "max_episode_steps", "success_threshold"),
                    info.getParametersList().stream().map(ParameterInfo::getName).toList());
            assertEquals(List.of(4.0, 20.0, 5.0, 50.0, 0.1),
                    info.getParametersList().stream().map(ParameterInfo::getDefaultValue).toList());
        }
    }

    @Test
    void makeReturnsTheFullSpec() throws InterruptedException {
        try (TestServer env = TestServer.start()) {
            EnvSpec spec = env.makeResponse(1, true).getSpec();
            assertEquals(TestServer.ENV_ID, spec.getEnvId());
            assertEquals(List.of("agent_0", "agent_1", "agent_2", "agent_3"),
                    spec.getAgentsList().stream().map(AgentSpec::getName).toList());
            AgentSpec agent = spec.getAgents(1);
            assertEquals(List.of(20), agent.getObservationSpace().getShapeList());
            assertEquals(-1f, agent.getObservationSpace().getLow(0));
            assertEquals(1f, agent.getObservationSpace().getHigh(19));
            assertEquals(List.of(5), agent.getActionSpace().getShapeList());
            assertEquals(Float.NEGATIVE_INFINITY, agent.getActionSpace().getLow(0));
            assertEquals(List.of(20), spec.getStateSpace().getShapeList());
            assertEquals(50, spec.getMaxEpisodeSteps());
            assertEquals(5.0, spec.getParamsOrThrow("target"));
            assertEquals(1, spec.getOptions().getNumEnvs());
            assertEquals(true, spec.getOptions().getRewardGradient());
            assertEquals(List.of("distance", "objective"), spec.getInfoKeysMap().keySet().stream().sorted().toList());
        }
    }
}
