package org.marlopt.server;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.VectorEnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;
import org.marlopt.metrics.EnvServerMetrics;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.Capabilities;
import org.marlopt.proto.env.v2.CloseResponse;
import org.marlopt.proto.env.v2.Limits;
import org.marlopt.proto.env.v2.ListEnvironmentsResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.MakeResponse;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * The protocol's operations on proto messages, shared by the unary calls and the Interact
 * stream: validates each request, translates it for the environment and translates the result.
 * Failures are {@link RequestException}s carrying the protocol's status code; a rejected request
 * never changes its session. A call the client gave up on (cancelled, or past its deadline) is
 * refused right before it would be applied, under the session's lock, so a client told
 * DEADLINE_EXCEEDED can rely on its call not having run once the server saw the deadline.
 */
final class EnvRequestHandler {

    static final String PROTOCOL_VERSION = "v2";

    private final EnvRegistry registry;
    private final SessionStore sessions;
    private final ServerConfig config;
    private final EnvServerMetrics metrics;
    private final WireCoding coding;
    private final Capabilities capabilities;
    private final ListEnvironmentsResponse environments;

    EnvRequestHandler(EnvRegistry registry, SessionStore sessions, ServerConfig config,
            EnvServerMetrics metrics, WireCoding coding) {
        this.registry = registry;
        this.sessions = sessions;
        this.config = config;
        this.metrics = metrics;
        this.coding = coding;
        this.capabilities = capabilities(registry, config);
        ListEnvironmentsResponse.Builder list = ListEnvironmentsResponse.newBuilder();
        registry.definitions().forEach(definition -> list.addEnvironments(ProtoCodec.environmentInfo(definition)));
        this.environments = list.build();
    }

    Capabilities capabilities() {
        return capabilities;
    }

    ListEnvironmentsResponse environments() {
        return environments;
    }

    /** A Make's result: the new session, and the response naming it. */
    record Made(Session session, MakeResponse response) {
    }

    /**
     * Resolves the parameters and checks the session fits the server's limits (its messages,
     * its Make answer and its price in memory) before anything is allocated; the copies are made
     * only once the session has a slot and its memory.
     */
    Made make(MakeRequest request) {
        ConfiguredEnv configured = registry.configure(request.getEnvId(), ProtoCodec.params(request.getParamsMap()));
        VectorOptions options = vectorOptions(request.getOptions());
        VectorEnvSpec spec = new VectorEnvSpec(configured.spec(), options); // refuses an unavailable reward gradient
        MessageBudget.check(spec, config.maxMessageBytes());
        MakeResponse.Builder response = MakeResponse.newBuilder()
                .setSessionId(SessionStore.ID_PLACEHOLDER)
                .setSpec(ProtoCodec.spec(spec));
        checkAnswerSize(response.build());
        SessionPrice price = SessionPrice.of(configured, spec);
        requireLive("make");
        Session session = sessions.create(price.bytes(options.numEnvs()),
                "ask for num_envs <= " + price.copiesWithin(sessions.memoryLeft()),
                () -> new BatchedVectorEnv(configured, options));
        return new Made(session, response.setSessionId(session.id()).build());
    }

    Session session(String sessionId) {
        return sessions.get(sessionId);
    }

    Reply<ResetResponse> reset(Session session, ResetRequest request) {
        OptionalLong seed = request.hasSeed() ? OptionalLong.of(request.getSeed()) : OptionalLong.empty();
        Map<String, Object> options = ProtoCodec.options(request.getOptions());
        synchronized (session) {
            sessions.use(session);
            requireLive("reset");
            Reply<ResetResponse> response = applyOrClose(session, () -> resetReply(session,
                    session.env().reset(seed, options)));
            session.steps().reset();
            metrics.recordReset(session.spec().envId());
            return response;
        }
    }

    Reply<StepResponse> step(Session session, StepRequest request) {
        long start = System.nanoTime();
        VectorEnvSpec spec = session.spec();
        Reply<StepResponse> response;
        synchronized (session) {
            sessions.use(session);
            requireLive("step");
            Reply<StepResponse> replay = session.steps().replayOrCheck(request.getSequence());
            if (replay != null) {
                return replay;
            }
            float[][] actions = session.actionBuffers();
            readActions(spec, request, actions);
            response = applyOrClose(session, () -> stepReply(session, session.env().step(actions)));
            session.steps().applied(request.getSequence(), response);
        }
        metrics.recordStep(spec.envId(), spec.numEnvs(), System.nanoTime() - start);
        return response;
    }

    CloseResponse close(String sessionId) {
        requireLive("close");
        sessions.close(sessionId);
        return CloseResponse.getDefaultInstance();
    }

    /** Translates a reset while the session's lock still guards the environment's buffers. */
    private Reply<ResetResponse> resetReply(Session session, Transition transition) {
        return coding == WireCoding.BULK ? session.wire().reset(transition)
                : Reply.of(ProtoCodec.resetResponse(session.spec(), transition));
    }

    private Reply<StepResponse> stepReply(Session session, Transition transition) {
        return coding == WireCoding.BULK ? session.wire().step(transition)
                : Reply.of(ProtoCodec.stepResponse(session.spec(), transition));
    }

    /** Marks a session made by an Interact stream as owned by it. */
    void claim(Session session) {
        sessions.claim(session);
    }

    /** Closes a session an Interact stream made, when the stream ends. */
    void release(Session session) {
        sessions.closeQuietly(session, "was closed when the Interact stream that made it ended");
    }

    /** Closes a session its unary Make call could not hand over (cancelled, deadline, failed answer). */
    void abandon(Session session) {
        sessions.closeUnclaimed(session, "was closed because the Make call that made it did not complete");
    }

    /**
     * Runs a reset or step; when the environment fails unexpectedly its state is unknown, so the
     * session is closed (and the failure answered INTERNAL) rather than left half-stepped.
     */
    private <T> T applyOrClose(Session session, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            RequestException failure = RequestException.of(e);
            if (failure.code() == Status.Code.INTERNAL) {
                sessions.closeQuietly(session, "was closed after an internal error in its environment");
            }
            throw failure;
        }
    }

    /** Refuses a call the client has given up on: it must not be applied. */
    private static void requireLive(String operation) {
        Context context = Context.current();
        Deadline deadline = context.getDeadline();
        boolean expired = deadline != null && deadline.isExpired();
        if (!expired && !context.isCancelled()) {
            return;
        }
        throw new RequestException(expired ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED, "",
                operation + " was not applied: the call " + (expired ? "passed its deadline" : "was cancelled")
                + " before the server got to it; retry with a longer deadline (a Step with a "
                + "sequence number can be retried safely)");
    }

    /** A Make answer the server could not send would leave a session nobody can name. */
    private void checkAnswerSize(MakeResponse response) {
        if (response.getSerializedSize() > config.maxMessageBytes()) {
            throw RequestException.exhausted("params", "the Make answer (the session's spec) would take "
                    + response.getSerializedSize() + " bytes, above the server's max message size of "
                    + config.maxMessageBytes() + " bytes; ask for fewer agents or smaller spaces, or start "
                    + "the server with a larger --max-message-bytes");
        }
    }

    /** Checks agent count, names and lengths, and copies the values into the session's buffers. */
    private static void readActions(VectorEnvSpec spec, StepRequest request, float[][] buffers) {
        if (request.getActionsCount() != spec.numAgents()) {
            throw RequestException.invalid("actions", "expected " + spec.numAgents()
                    + " actions, one per agent in spec order " + agentNames(spec) + ", got "
                    + request.getActionsCount());
        }
        for (int agent = 0; agent < buffers.length; agent++) {
            AgentAction action = request.getActions(agent);
            String expectedName = spec.env().agents().get(agent).name();
            if (!expectedName.equals(action.getAgent())) {
                throw RequestException.invalid("actions[" + agent + "].agent", "actions[" + agent
                        + "] is for agent '" + action.getAgent() + "' but spec order puts '"
                        + expectedName + "' there; send actions in the order " + agentNames(spec));
            }
            float[] buffer = buffers[agent];
            int count = ActionWire.valueCount(action);
            if (count != buffer.length) {
                throw RequestException.invalid("actions[" + agent + "].values", expectedName + " sent "
                        + count + " values, expected " + buffer.length + " (num_envs "
                        + spec.numEnvs() + " x action size " + buffer.length / spec.numEnvs()
                        + ", copy-major)");
            }
        }
        // Copy only once every shape is right; the environment checks the values are finite.
        for (int agent = 0; agent < buffers.length; agent++) {
            ActionWire.copyValues(request.getActions(agent), buffers[agent]);
        }
    }

    private VectorOptions vectorOptions(SessionOptions options) {
        int numEnvs = options.getNumEnvs() == 0 ? 1 : options.getNumEnvs();
        if (numEnvs < 0 || numEnvs > config.maxNumEnvs()) { // uint32 above 2^31 reads negative
            throw RequestException.invalid("options.num_envs", "num_envs "
                    + Integer.toUnsignedString(numEnvs) + " is above this server's limit of "
                    + config.maxNumEnvs() + "; ask for fewer copies or open several sessions");
        }
        return new VectorOptions(numEnvs, options.getRewardGradient(),
                ProtoCodec.autoresetMode(options.getAutoresetMode()));
    }


    private static List<String> agentNames(VectorEnvSpec spec) {
        return spec.env().agents().stream().map(AgentSpec::name).toList();
    }

    private static Capabilities capabilities(EnvRegistry registry, ServerConfig config) {
        return Capabilities.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setServerVersion(ServerVersion.get())
                .addAllEnvIds(registry.ids())
                .setLimits(Limits.newBuilder()
                        .setMaxSessions(config.maxSessions())
                        .setMaxNumEnvs(config.maxNumEnvs())
                        .setMaxMessageBytes(config.maxMessageBytes())
                        .setSessionTtlSeconds(config.sessionTtl().toSeconds()))
                .addAutoresetModes(AutoresetMode.AUTORESET_MODE_DISABLED)
                .addAutoresetModes(AutoresetMode.AUTORESET_MODE_SAME_STEP)
                .addAutoresetModes(AutoresetMode.AUTORESET_MODE_NEXT_STEP)
                .build();
    }
}
