package org.marlopt.client.session;

import com.google.protobuf.Internal;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.marlopt.env.InfoSpec;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.AgentStep;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.DoubleArray;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * A session on one Interact stream: the stream made the session and owns it, and carries every
 * Reset and Step of it, one request and one answer at a time. Translates between the protocol's
 * messages and the arrays of {@link EnvSession}, checking every length against the spec; nothing
 * else.
 *
 * <p>A request that fails in any way other than the server's {@code error} reply (a timeout, an
 * interrupt, a broken stream, an answer of the wrong kind or shape) may leave its answer in flight,
 * which the next request would read as its own. So such a failure cancels the stream and marks the
 * session broken: every later call fails at once, and the caller has to make a new session
 * ({@link ResilientEnvSession} does).
 */
final class GrpcEnvSession implements EnvSession {

    private final BlockingClientCall<InteractRequest, InteractResponse> call;
    private final Duration timeout;
    private final SessionSpec spec;
    private final int copies;
    private final float[] shared;
    private final float[][] own;
    private final float[][] rewards;
    private final float[][] rewardGradients;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final boolean[] episodeStart;
    private final Map<String, double[]> info = new LinkedHashMap<>();
    private final float[] state;
    private final float[] finalShared;
    private final float[][] finalOwn;
    private final float[] finalState;
    private boolean closed;
    /** Why the session can no longer be used (its stream was cancelled); null while it is usable. */
    private String broken;

    private GrpcEnvSession(BlockingClientCall<InteractRequest, InteractResponse> call, Duration timeout,
                           SessionSpec spec) {
        this.call = call;
        this.timeout = timeout;
        this.spec = spec;
        this.copies = spec.numEnvs();
        int agents = spec.numAgents();
        this.shared = new float[copies * spec.sharedSize()];
        this.finalShared = new float[shared.length];
        this.own = new float[agents][];
        this.finalOwn = new float[agents][];
        this.rewards = new float[agents][copies];
        this.rewardGradients = new float[agents][];
        for (int agent = 0; agent < agents; agent++) {
            own[agent] = new float[copies * spec.ownSize(agent)];
            finalOwn[agent] = new float[own[agent].length];
            rewardGradients[agent] = new float[spec.rewardGradient() ? copies * spec.actionSize(agent) : 0];
        }
        this.terminated = new boolean[copies];
        this.truncated = new boolean[copies];
        this.episodeStart = new boolean[copies];
        for (InfoSpec key : spec.env().info()) {
            info.put(key.name(), new double[copies * key.size()]);
        }
        this.state = new float[copies * spec.stateSize()];
        this.finalState = new float[state.length];
    }

    /** Makes a session on a new Interact stream of {@code stub}; {@code env} types the spec's parameters. */
    static GrpcEnvSession open(EnvServiceGrpc.EnvServiceBlockingV2Stub stub, MakeRequest make, EnvironmentInfo env,
                               Duration timeout) {
        BlockingClientCall<InteractRequest, InteractResponse> call = stub.interact();
        try {
            InteractRequest request = InteractRequest.newBuilder().setMake(make).build();
            InteractResponse response = exchange(call, request, timeout);
            if (response.hasError()) {
                throw serverError(response);
            }
            requireAnswerTo(request, response);
            org.marlopt.proto.env.v2.EnvSpec spec = response.getMake().getSpec();
            if (spec.getOptions().getAutoresetMode() != AutoresetMode.AUTORESET_MODE_SAME_STEP) {
                throw new IllegalStateException("the env server resolved autoreset to "
                        + spec.getOptions().getAutoresetMode() + "; this client needs AUTORESET_MODE_SAME_STEP");
            }
            SessionSpec sessionSpec = new SessionSpec(ProtoSpecs.envSpec(spec, env),
                    Math.max(1, spec.getOptions().getNumEnvs()), spec.getOptions().getRewardGradient());
            return new GrpcEnvSession(call, timeout, sessionSpec);
        } catch (RuntimeException e) {
            call.cancel("session could not be made", e);
            throw e;
        }
    }

    @Override
    public SessionSpec spec() {
        return spec;
    }

    @Override
    public void reset(long seed) {
        InteractRequest request = InteractRequest.newBuilder()
                .setReset(ResetRequest.newBuilder().setSeed(seed)).build();
        interact(request, answer -> {
            ResetResponse response = answer.getReset();
            readAgents(response.getAgentsList(), false);
            copy(response.getSharedObservationList(), shared, "shared_observation");
            copy(response.getStateList(), state, "state");
            readInfo(response.getInfoMap());
            for (float[] agentRewards : rewards) {
                Arrays.fill(agentRewards, 0f);
            }
            Arrays.fill(terminated, false);
            Arrays.fill(truncated, false);
            Arrays.fill(episodeStart, true);
            keepCurrentAsFinal();
        });
    }

    @Override
    public void step(float[][] actions) {
        if (actions.length != spec.numAgents()) {
            throw new IllegalArgumentException("got actions for " + actions.length + " agents, the session has "
                    + spec.numAgents());
        }
        StepRequest.Builder step = StepRequest.newBuilder();
        for (int agent = 0; agent < actions.length; agent++) {
            int expected = copies * spec.actionSize(agent);
            if (actions[agent].length != expected) {
                throw new IllegalArgumentException("got " + actions[agent].length + " action values for agent "
                        + spec.agent(agent).name() + ", expected " + expected);
            }
            AgentAction.Builder action = step.addActionsBuilder().setAgent(spec.agent(agent).name());
            for (float value : actions[agent]) {
                action.addValues(value);
            }
        }
        interact(InteractRequest.newBuilder().setStep(step).build(), answer -> readStep(answer.getStep()));
    }

    /**
     * Sends {@code request} and hands its answer to {@code reader}. The server's {@code error}
     * reply leaves the session usable (the stream stays in step); any other failure, in the
     * exchange or in reading the answer, cancels the stream and breaks the session.
     */
    private void interact(InteractRequest request, Consumer<InteractResponse> reader) {
        requireUsable();
        InteractResponse response;
        try {
            response = exchange(call, request, timeout);
        } catch (RuntimeException e) {
            breakSession(e);
            throw e;
        }
        if (response.hasError()) {
            throw serverError(response);
        }
        try {
            requireAnswerTo(request, response);
            reader.accept(response);
        } catch (RuntimeException e) {
            breakSession(e);
            throw e;
        }
    }

    private void requireUsable() {
        if (closed) {
            throw new IllegalStateException("the env session is closed");
        }
        if (broken != null) {
            throw new EnvCallException(Status.Code.FAILED_PRECONDITION, "this env session is broken since an "
                    + "earlier call failed (" + broken + "), and its stream was cancelled; make a new session", null);
        }
    }

    private void breakSession(RuntimeException cause) {
        broken = cause.getMessage();
        call.cancel("the session is broken: " + broken, cause);
    }

    /** Fails unless {@code response} is the answer to {@code request}'s kind of request. */
    private static void requireAnswerTo(InteractRequest request, InteractResponse response) {
        InteractResponse.ResponseCase expected = switch (request.getRequestCase()) {
            case MAKE -> InteractResponse.ResponseCase.MAKE;
            case RESET -> InteractResponse.ResponseCase.RESET;
            case STEP -> InteractResponse.ResponseCase.STEP;
            case CLOSE -> InteractResponse.ResponseCase.CLOSE;
            case REQUEST_NOT_SET -> throw new IllegalArgumentException("empty request");
        };
        if (response.getResponseCase() != expected) {
            throw new IllegalStateException("the env server answered a " + request.getRequestCase() + " request with "
                    + response.getResponseCase() + ", expected " + expected + " (the session stream is out of step)");
        }
    }

    private static EnvCallException serverError(InteractResponse response) {
        var error = response.getError();
        return new EnvCallException(Status.fromCodeValue(error.getCode()).getCode(), error.getMessage(),
                error.getField());
    }

    private void readStep(StepResponse response) {
        List<AgentStep> agents = response.getAgentsList();
        readAgents(agents, true);
        copy(response.getSharedObservationList(), shared, "shared_observation");
        copy(response.getStateList(), state, "state");
        readInfo(response.getInfoMap());
        requireLength("terminated", response.getTerminatedCount(), copies);
        requireLength("truncated", response.getTruncatedCount(), copies);
        boolean anyEnded = false;
        for (int copy = 0; copy < copies; copy++) {
            terminated[copy] = response.getTerminated(copy);
            truncated[copy] = response.getTruncated(copy);
            episodeStart[copy] = terminated[copy] || truncated[copy];
            anyEnded |= episodeStart[copy];
        }
        if (!anyEnded) {
            keepCurrentAsFinal();
            return;
        }
        copy(response.getFinalSharedObservationList(), finalShared, "final_shared_observation");
        copy(response.getFinalStateList(), finalState, "final_state");
        for (int agent = 0; agent < agents.size(); agent++) {
            copy(agents.get(agent).getFinalObservationList(), finalOwn[agent], "agents[" + agent
                    + "].final_observation");
        }
    }

    /** Observations of every agent, and with {@code step} its rewards and, when asked for, reward gradients. */
    private void readAgents(List<AgentStep> agents, boolean step) {
        if (agents.size() != spec.numAgents()) {
            throw new IllegalStateException("the env server answered for " + agents.size() + " agents, expected "
                    + spec.numAgents());
        }
        for (int agent = 0; agent < agents.size(); agent++) {
            AgentStep answer = agents.get(agent);
            String field = "agents[" + agent + "]";
            if (!answer.getAgent().equals(spec.agent(agent).name())) {
                throw new IllegalStateException("the env server answered for agent '" + answer.getAgent() + "' in "
                        + field + ", expected '" + spec.agent(agent).name() + "'");
            }
            copy(answer.getObservationList(), own[agent], field + ".observation");
            if (step) {
                copy(answer.getRewardList(), rewards[agent], field + ".reward");
                if (spec.rewardGradient()) {
                    copy(answer.getRewardGradientList(), rewardGradients[agent], field + ".reward_gradient");
                }
            }
        }
    }

    private void readInfo(Map<String, DoubleArray> answer) {
        for (Map.Entry<String, double[]> key : info.entrySet()) {
            DoubleArray values = answer.get(key.getKey());
            if (values == null) {
                throw new IllegalStateException("the env server sent no info." + key.getKey()
                        + ", which the spec declares");
            }
            double[] into = key.getValue();
            requireLength("info." + key.getKey(), values.getValuesCount(), into.length);
            Internal.DoubleList doubles = (Internal.DoubleList) values.getValuesList();
            for (int i = 0; i < into.length; i++) {
                into[i] = doubles.getDouble(i);
            }
        }
    }

    private void keepCurrentAsFinal() {
        System.arraycopy(shared, 0, finalShared, 0, shared.length);
        System.arraycopy(state, 0, finalState, 0, state.length);
        for (int agent = 0; agent < own.length; agent++) {
            System.arraycopy(own[agent], 0, finalOwn[agent], 0, own[agent].length);
        }
    }

    private static void copy(List<Float> values, float[] into, String field) {
        requireLength(field, values.size(), into.length);
        Internal.FloatList floats = (Internal.FloatList) values;
        for (int i = 0; i < into.length; i++) {
            into[i] = floats.getFloat(i);
        }
    }

    private static void requireLength(String field, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalStateException("the env server sent " + actual + " values in " + field + ", expected "
                    + expected);
        }
    }

    /** Writes {@code request} and reads one answer, which may be an {@code error} reply. */
    private static InteractResponse exchange(BlockingClientCall<InteractRequest, InteractResponse> call,
                                             InteractRequest request, Duration timeout) {
        try {
            if (!call.write(request, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EnvCallException(Status.Code.UNAVAILABLE, "the env server closed the session stream", null);
            }
            InteractResponse response = call.read(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response == null) {
                throw new EnvCallException(Status.Code.UNAVAILABLE, "the env server ended the session stream", null);
            }
            return response;
        } catch (StatusException e) {
            throw new EnvCallException(e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()), null);
        } catch (TimeoutException e) {
            throw new EnvCallException(Status.Code.DEADLINE_EXCEEDED,
                    "no answer from the env server within " + timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvCallException(Status.Code.CANCELLED, "interrupted while waiting for the env server", null);
        }
    }

    @Override
    public float[] sharedObservation() {
        return shared;
    }

    @Override
    public float[] ownObservation(int agent) {
        return own[agent];
    }

    @Override
    public boolean[] episodeStart() {
        return episodeStart;
    }

    @Override
    public float[] rewards(int agent) {
        return rewards[agent];
    }

    @Override
    public float[] rewardGradient(int agent) {
        return rewardGradients[agent];
    }

    @Override
    public boolean[] terminated() {
        return terminated;
    }

    @Override
    public boolean[] truncated() {
        return truncated;
    }

    @Override
    public double[] info(String key) {
        double[] values = info.get(key);
        if (values == null) {
            throw new IllegalArgumentException("no info key '" + key + "' in " + spec.envId() + "; it declares "
                    + info.keySet());
        }
        return values;
    }

    @Override
    public float[] state() {
        return state;
    }

    @Override
    public float[] finalSharedObservation() {
        return finalShared;
    }

    @Override
    public float[] finalOwnObservation(int agent) {
        return finalOwn[agent];
    }

    @Override
    public float[] finalState() {
        return finalState;
    }

    /** Closes the session, then the stream; a broken stream is cancelled instead. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (broken != null) {
            return; // its stream was cancelled when it broke
        }
        try {
            InteractRequest request = InteractRequest.newBuilder().setClose(CloseRequest.getDefaultInstance()).build();
            InteractResponse response = exchange(call, request, timeout);
            if (response.hasError()) {
                throw serverError(response);
            }
            requireAnswerTo(request, response);
            call.halfClose();
            // drain to the end of the stream, so the call completes (and its metrics are recorded) now
            if (call.read(timeout.toMillis(), TimeUnit.MILLISECONDS) != null) {
                throw new IllegalStateException("the env server sent a message after closing the session");
            }
        } catch (RuntimeException | StatusException | TimeoutException e) {
            call.cancel("closing the session failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel("interrupted while closing the session", e);
        }
    }
}
