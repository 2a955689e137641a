package org.marlopt.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.marlopt.env.EnvRegistry;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.MakeResponse;
import org.marlopt.proto.env.v2.NumberList;
import org.marlopt.proto.env.v2.ParameterValue;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.security.ServerSecurity;

/**
 * An env server on the in-process transport with a channel to it; close() stops both. It
 * serves the discovered environments and the tests' own {@link TallyEnv}.
 */
final class TestServer implements AutoCloseable {

    /** The seed environment: 4 agents, actions of 5 values, a shared observation of 20. */
    static final String ENV_ID = "DistributedOptimization-v1";
    static final EnvRegistry REGISTRY = EnvRegistry.discover().with(List.of(new TallyEnv()));

    final EnvServer server;
    final ManagedChannel channel;
    final EnvServiceGrpc.EnvServiceBlockingStub blocking;
    final EnvServiceGrpc.EnvServiceStub async;

    private TestServer(EnvServer server, ManagedChannel channel) {
        this.server = server;
        this.channel = channel;
        this.blocking = EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        this.async = EnvServiceGrpc.newStub(channel);
    }

    static ServerConfig config() {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(0)
                .withShutdownGrace(Duration.ofSeconds(2));
    }

    static TestServer start() {
        return start(config());
    }

    static TestServer start(ServerConfig config) {
        return start(config, REGISTRY);
    }

    static TestServer start(ServerConfig config, EnvRegistry registry) {
        return start(config, registry, ServerSecurity.NONE);
    }

    /** A server with {@code security}'s authentication and reflection setting (in-process: no TLS). */
    static TestServer start(ServerSecurity security) {
        return start(config(), REGISTRY, security);
    }

    /**
     * In-process, but answering with bulk-encoded wire bytes as a network server does, so every
     * test on it also checks the bytes clients on the network get. (TestTransport.IN_PROCESS and
     * ProtocolFuzzTest keep the in-process default, protobuf messages.)
     */
    private static TestServer start(ServerConfig config, EnvRegistry registry, ServerSecurity security) {
        String name = InProcessServerBuilder.generateName();
        EnvServer server = EnvServer.start(InProcessServerBuilder.forName(name), config, registry, security,
                WireCoding.BULK);
        return new TestServer(server, InProcessChannelBuilder.forName(name).directExecutor().build());
    }

    String make(int numEnvs, boolean gradient) {
        return blocking.make(makeRequest(numEnvs, gradient)).getSessionId();
    }

    MakeResponse makeResponse(int numEnvs, boolean gradient) {
        return blocking.make(makeRequest(numEnvs, gradient));
    }

    /** A seed environment session with default parameters. */
    static MakeRequest makeRequest(int numEnvs, boolean gradient) {
        return MakeRequest.newBuilder().setEnvId(ENV_ID)
                .setOptions(SessionOptions.newBuilder().setNumEnvs(numEnvs).setRewardGradient(gradient))
                .build();
    }

    /** A {@link TallyEnv} session; add parameters with {@code putParams}. */
    static MakeRequest.Builder tally(int numEnvs, AutoresetMode mode) {
        return MakeRequest.newBuilder().setEnvId(TallyEnv.ID)
                .setOptions(SessionOptions.newBuilder().setNumEnvs(numEnvs).setAutoresetMode(mode));
    }

    static ResetRequest reset(String session, long seed) {
        return ResetRequest.newBuilder().setSessionId(session).setSeed(seed).build();
    }

    /** A seed environment step where agent i sends {@code values[i]} for every element of every copy. */
    static StepRequest uniformStep(String session, int numEnvs, float... values) {
        StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session);
        for (int agent = 0; agent < values.length; agent++) {
            float[] action = new float[numEnvs * 5];
            Arrays.fill(action, values[agent]);
            step.addActions(action("agent_" + agent, action));
        }
        return step.build();
    }

    static AgentAction action(String agent, float... values) {
        AgentAction.Builder action = AgentAction.newBuilder().setAgent(agent);
        for (float value : values) {
            action.addValues(value);
        }
        return action.build();
    }

    static ParameterValue number(double value) {
        return ParameterValue.newBuilder().setNumber(value).build();
    }

    static ParameterValue integer(long value) {
        return ParameterValue.newBuilder().setInteger(value).build();
    }

    static ParameterValue bool(boolean value) {
        return ParameterValue.newBuilder().setBoolean(value).build();
    }

    static ParameterValue text(String value) {
        return ParameterValue.newBuilder().setText(value).build();
    }

    static ParameterValue numbers(double... values) {
        NumberList.Builder list = NumberList.newBuilder();
        for (double value : values) {
            list.addValues(value);
        }
        return ParameterValue.newBuilder().setNumbers(list).build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }
}
