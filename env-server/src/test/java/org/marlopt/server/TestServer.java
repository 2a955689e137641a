package org.marlopt.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.marlopt.env.v1.AgentAction;
import org.marlopt.env.v1.EnvServiceGrpc;
import org.marlopt.env.v1.MakeRequest;
import org.marlopt.env.v1.MakeResponse;
import org.marlopt.env.v1.ResetRequest;
import org.marlopt.env.v1.SessionOptions;
import org.marlopt.env.v1.StepRequest;

/** An env server on the in-process transport with a channel to it; close() stops both. */
final class TestServer implements AutoCloseable {

    static final String ENV_ID = "DistributedOptimization-v1";

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
        String name = InProcessServerBuilder.generateName();
        EnvServer server = EnvServer.start(InProcessServerBuilder.forName(name), config);
        return new TestServer(server, InProcessChannelBuilder.forName(name).directExecutor().build());
    }

    String make(int numEnvs, boolean gradient) {
        return blocking.make(makeRequest(numEnvs, gradient)).getSessionId();
    }

    MakeResponse makeResponse(int numEnvs, boolean gradient) {
        return blocking.make(makeRequest(numEnvs, gradient));
    }

    static MakeRequest makeRequest(int numEnvs, boolean gradient) {
        return MakeRequest.newBuilder().setEnvId(ENV_ID)
                .setOptions(SessionOptions.newBuilder().setNumEnvs(numEnvs).setRewardGradient(gradient))
                .build();
    }

    static ResetRequest reset(String session, long seed) {
        return ResetRequest.newBuilder().setSessionId(session).setSeed(seed).build();
    }

    /** A step where agent i sends {@code values[i]} for every element of every copy. */
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

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }
}
