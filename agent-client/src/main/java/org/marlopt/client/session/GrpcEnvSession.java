package org.marlopt.client.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.TimeoutException;
import org.marlopt.client.env.EnvDims;
import org.marlopt.client.env.VectorSession;
import org.marlopt.env.v1.AgentAction;
import org.marlopt.env.v1.AgentSpec;
import org.marlopt.env.v1.AgentStep;
import org.marlopt.env.v1.AutoresetMode;
import org.marlopt.env.v1.Box;
import org.marlopt.env.v1.CloseRequest;
import org.marlopt.env.v1.DoubleArray;
import org.marlopt.env.v1.EnvServiceGrpc;
import org.marlopt.env.v1.EnvSpec;
import org.marlopt.env.v1.InteractRequest;
import org.marlopt.env.v1.InteractResponse;
import org.marlopt.env.v1.MakeRequest;
import org.marlopt.env.v1.ResetRequest;
import org.marlopt.env.v1.ResetResponse;
import org.marlopt.env.v1.StepRequest;
import org.marlopt.env.v1.StepResponse;

/**
 * A vector env session on one Interact stream: the stream made the session and owns it, and
 * carries every Reset and Step of it, one request and one answer at a time. Translates between
 * the protocol's messages and the flat arrays of {@link VectorSession}; nothing else.
 *
 * <p>A request that fails in any way other than the server's {@code error} reply (a timeout, an
 * interrupt, a broken stream, an answer of the wrong kind or shape) may leave its answer in flight,
 * which the next request would read as its own. So such a failure cancels the stream and marks the
 * session broken: every later call fails at once, and the caller has to make a new session.
 */
public final class GrpcVectorEnv implements VectorSession {

    /** The info key of the distance (the env module lists its info keys, but not as constants). */
    private static final String DISTANCE = "distance";

    private final BlockingClientCall<InteractRequest, InteractResponse> call;
    private final Duration timeout;
    private final EnvDims dims;
    private final boolean withRewardGradients;
    private final ByteBuffer observations;
    private final FloatBuffer observationValues;
    private final ByteBuffer rewardGradients;
    private final FloatBuffer rewardGradientValues;
    private final float[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final double[] distances;
    private final float[] states;
    private final float[] endStates;
    private boolean closed;
    /** Why the session can no longer be used (its stream was cancelled); null while it is usable. */
    private String broken;

    private GrpcVectorEnv(BlockingClientCall<InteractRequest, InteractResponse> call, Duration timeout, EnvDims dims,
                          boolean withRewardGradients) {
        this.call = call;
        this.timeout = timeout;
        this.dims = dims;
        this.withRewardGradients = withRewardGradients;
        int copies = dims.numEnvs();
        this.observations = directBuffer(dims.numAgents() * copies * dims.observationSize());
        this.observationValues = observations.asFloatBuffer();
        this.rewardGradients = directBuffer(dims.numAgents() * copies * dims.actionSize());
        this.rewardGradientValues = rewardGradients.asFloatBuffer();
        this.rewards = new float[copies];
        this.terminated = new boolean[copies];
        this.truncated = new boolean[copies];
        this.distances = new double[copies];
        this.states = new float[copies * dims.stateSize()];
        this.endStates = new float[copies * dims.stateSize()];
    }

    static GrpcVectorEnv open(EnvServiceGrpc.EnvServiceBlockingV2Stub stub, MakeRequest make, Duration timeout) {
        BlockingClientCall<InteractRequest, InteractResponse> call = stub.interact();
        try {
            InteractRequest request = InteractRequest.newBuilder().setMake(make).build();
            InteractResponse response = exchange(call, request, timeout);
            if (response.hasError()) {
                throw serverError(response);
            }
            requireAnswerTo(request, response);
            EnvSpec spec = response.getMake().getSpec();
            return new GrpcVectorEnv(call, timeout, dimsOf(spec), spec.getOptions().getRewardGradient());
        } catch (RuntimeException e) {
            call.cancel("session could not be made", e);
            throw e;
        }
    }

    private static EnvDims dimsOf(EnvSpec spec) {
        if (spec.getAgentsCount() == 0) {
            throw new IllegalStateException("env " + spec.getEnvId() + " has no agents");
        }
        if (spec.getOptions().getAutoresetMode() != AutoresetMode.AUTORESET_MODE_SAME_STEP) {
            throw new IllegalStateException("server resolved autoreset to " + spec.getOptions().getAutoresetMode()
                    + ", this client needs AUTORESET_MODE_SAME_STEP");
        }
        List<String> names = new ArrayList<>();
        int observationSize = size(spec.getAgents(0).getObservationSpace());
        int actionSize = size(spec.getAgents(0).getActionSpace());
        for (AgentSpec agent : spec.getAgentsList()) {
            if (size(agent.getObservationSpace()) != observationSize || size(agent.getActionSpace()) != actionSize) {
                throw new IllegalStateException("agents of " + spec.getEnvId() + " differ in size; this client needs "
                        + "equal observation and action sizes for all agents");
            }
            names.add(agent.getName());
        }
        return new EnvDims(List.copyOf(names), Math.max(1, spec.getOptions().getNumEnvs()), observationSize,
                actionSize, size(spec.getStateSpace()), spec.getParamsOrThrow("target"), spec.getParamsOrThrow("success_threshold"));
    }

    @Override
    public EnvDims dims() {
        return dims;
    }

    @Override
    public void reset(long seed) {
        InteractRequest request = InteractRequest.newBuilder()
                .setReset(ResetRequest.newBuilder().setSeed(seed)).build();
        interact(request, answer -> {
            ResetResponse response = answer.getReset();
            readObservations(response.getAgentsList());
            copy(response.getStateList(), states, "state");
            System.arraycopy(states, 0, endStates, 0, states.length);
        });
    }

    @Override
    public void step(float[] actions) {
        int perAgent = dims.numEnvs() * dims.actionSize();
        if (actions.length != dims.numAgents() * perAgent) {
            throw new IllegalArgumentException("got " + actions.length + " action values, expected "
                    + dims.numAgents() * perAgent);
        }
        StepRequest.Builder step = StepRequest.newBuilder();
        for (int agent = 0; agent < dims.numAgents(); agent++) {
            AgentAction.Builder action = step.addActionsBuilder().setAgent(dims.agentNames().get(agent));
            for (int i = agent * perAgent, end = i + perAgent; i < end; i++) {
                action.addValues(actions[i]);
            }
        }
        interact(InteractRequest.newBuilder().setStep(step).build(), answer -> {
            StepResponse response = answer.getStep();
            readObservations(response.getAgentsList());
            readStep(response);
        });
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

    private void readObservations(List<AgentStep> agents) {
        requireAgents(agents);
        int size = dims.numEnvs() * dims.observationSize();
        for (int agent = 0; agent < agents.size(); agent++) {
            AgentStep step = agents.get(agent);
            requireLength("agents[" + agent + "].observation", step.getObservationCount(), size);
            int offset = agent * size;
            for (int i = 0; i < size; i++) {
                observationValues.put(offset + i, step.getObservation(i));
            }
        }
    }

    private void readStep(StepResponse response) {
        int copies = dims.numEnvs();
        int size = copies * dims.actionSize();
        List<AgentStep> agents = response.getAgentsList();
        for (int agent = 0; withRewardGradients && agent < agents.size(); agent++) {
            AgentStep step = agents.get(agent);
            requireLength("agents[" + agent + "].reward_gradient", step.getRewardGradientCount(), size);
            int offset = agent * size;
            for (int i = 0; i < size; i++) {
                rewardGradientValues.put(offset + i, step.getRewardGradient(i));
            }
        }
        AgentStep first = agents.get(0);
        requireLength("agents[0].reward", first.getRewardCount(), copies);
        requireLength("terminated", response.getTerminatedCount(), copies);
        requireLength("truncated", response.getTruncatedCount(), copies);
        DoubleArray distance = response.getInfoOrThrow(DISTANCE);
        requireLength("info.distance", distance.getValuesCount(), copies);
        for (int copy = 0; copy < copies; copy++) {
            rewards[copy] = first.getReward(copy);
            terminated[copy] = response.getTerminated(copy);
            truncated[copy] = response.getTruncated(copy);
            distances[copy] = distance.getValues(copy);
        }
        copy(response.getStateList(), states, "state");
        if (response.getFinalStateCount() > 0) {
            copy(response.getFinalStateList(), endStates, "final_state");
        } else {
            System.arraycopy(states, 0, endStates, 0, states.length);
        }
    }

    private void requireAgents(List<AgentStep> agents) {
        if (agents.size() != dims.numAgents()) {
            throw new IllegalStateException("server answered for " + agents.size() + " agents, expected "
                    + dims.numAgents());
        }
    }

    private static void copy(List<Float> values, float[] into, String field) {
        requireLength(field, values.size(), into.length);
        com.google.protobuf.Internal.FloatList floats = (com.google.protobuf.Internal.FloatList) values;
        for (int i = 0; i < into.length; i++) {
            into[i] = floats.getFloat(i);
        }
    }

    private static void requireLength(String field, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalStateException("server sent " + actual + " values in " + field + ", expected " + expected);
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

    private static int size(Box box) {
        int size = 1;
        for (int dim : box.getShapeList()) {
            size *= dim;
        }
        return size;
    }

    private static ByteBuffer directBuffer(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
    }

    @Override
    public ByteBuffer observations() {
        return observations;
    }

    /** Only filled when the session was made with {@code reward_gradient = true}. */
    @Override
    public ByteBuffer rewardGradients() {
        return rewardGradients;
    }

    @Override
    public float[] rewards() {
        return rewards;
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
    public double[] distances() {
        return distances;
    }

    @Override
    public float[] states() {
        return states;
    }

    @Override
    public float[] endStates() {
        return endStates;
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
