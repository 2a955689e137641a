package org.marlopt.client.agent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.UnaryOperator;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * The stacked {@link AgentTeam} acting on one session: observations in (through an
 * {@link ObservationTransform}), actions out.
 *
 * <p>Agents of different sizes. The team keeps one batched op for all agents (and one fused Adam
 * update) by giving every agent the same network shape: agent i's input is its observation
 * (shared ++ own) followed by zeros up to the largest observation of any agent, and its action is
 * the first actionSize(i) values of an output as long as the largest action. A padded input
 * element is always 0, so its weights get no gradient; a padded output element is never sent, and
 * its reward gradient is 0, so it gets none either. Padding costs only the difference in size
 * (a few inbox slots on an Erdos-Renyi graph) and keeps every agent's model, checkpoint and
 * optimizer state alike; grouping agents by shape would need a stack, an optimizer and a
 * checkpoint layout per group for no gain at these sizes.
 *
 * <p>Bounded actions. Where an action element's Box has finite low and high, the network's
 * output x becomes low + (high - low) (tanh(x) + 1) / 2: always inside the Box, so the
 * environment never clips it (a clipped element has zero reward gradient, which would silently
 * stop learning). Elements with an infinite bound (the seed's actions, messages) stay linear.
 *
 * <p>Shared parameters. A team trained with parameter sharing (see {@link ParameterSharing}) takes
 * a one-hot agent id after the padded observation, so its input is {@code numAgents} longer; the
 * actor appends the id itself, so buffers and sessions never see it.
 */
public final class TeamActor {

    private final AgentTeam team;
    private final SessionSpec spec;
    private final ObservationTransform transform;
    private final int copies;
    private final ByteBuffer inputs;
    private final ByteBuffer rewardGradients;
    /** Per padded action element, [agents, 1, outputSize]: 1 where the Box is finite on both sides. */
    private final float[] bounded;
    private final float[] center;
    private final float[] halfRange;
    private final boolean anyBounded;
    private final int observationSize;
    private final boolean agentIdInput;

    /**
     * @param transform what the networks see of the observations (the padding stays 0 under every transform)
     * @throws IllegalArgumentException when the team was not made for this session's agents and sizes
     */
    public TeamActor(AgentTeam team, SessionSpec spec, ObservationTransform transform) {
        int agents = spec.numAgents();
        this.observationSize = spec.maxObservationSize();
        this.agentIdInput = team.inputSize() == ParameterSharing.inputSize(spec, true);
        if (team.numAgents() != agents || (team.inputSize() != observationSize && !agentIdInput)
                || team.outputSize() != spec.maxActionSize()) {
            throw new IllegalArgumentException("the agents' networks (" + team.numAgents() + " agents, "
                    + team.inputSize() + " inputs -> " + team.outputSize() + " outputs) do not fit " + spec.envId()
                    + " as this session configures it (" + agents + " agents, largest observation "
                    + observationSize + ", largest action " + spec.maxActionSize()
                    + "); use the environment parameters the agents were trained with");
        }
        this.team = team;
        this.spec = spec;
        this.transform = transform;
        this.copies = spec.numEnvs();
        int outputSize = team.outputSize();
        this.inputs = directBuffer(agents * copies * observationSize);
        this.rewardGradients = directBuffer(agents * copies * outputSize);
        this.bounded = new float[agents * outputSize];
        this.center = new float[agents * outputSize];
        this.halfRange = new float[agents * outputSize];
        boolean any = false;
        for (int agent = 0; agent < agents; agent++) {
            float[] low = spec.agent(agent).actionSpace().low();
            float[] high = spec.agent(agent).actionSpace().high();
            for (int j = 0; j < low.length; j++) {
                if (Float.isFinite(low[j]) && Float.isFinite(high[j])) {
                    int element = agent * outputSize + j;
                    bounded[element] = 1f;
                    center[element] = (high[j] + low[j]) / 2;
                    halfRange[element] = (high[j] - low[j]) / 2;
                    any = true;
                }
            }
        }
        this.anyBounded = any;
    }

    /** Every agent's action for every copy, [agents, copies, outputSize], in the autograd graph of the team. */
    public NDArray act(NDManager scratch, EnvSession session) {
        FloatBuffer values = inputs.asFloatBuffer();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            for (int copy = 0; copy < copies; copy++) {
                values.position((agent * copies + copy) * observationSize);
                session.putObservation(agent, copy, values);
            }
        }
        NDArray observations = copyOf(scratch, inputs, new Shape(spec.numAgents(), copies, observationSize));
        return policy(scratch, observations, team::forward);
    }

    /**
     * What {@code network} (the team, or a copy of it such as a target actor) does with padded
     * observations [agents, rows, inputSize]: their transform in, actions [agents, rows, outputSize]
     * out, squashed into bounded Boxes.
     */
    public NDArray policy(NDManager scratch, NDArray observations, UnaryOperator<NDArray> network) {
        return squash(scratch, raw(scratch, observations, network));
    }

    /**
     * What {@code network} outputs before squashing, [agents, rows, outputSize], for padded
     * observations [agents, rows, observationSize] (transformed, and followed by the agent id where
     * parameters are shared): a Gaussian policy's mean.
     */
    public NDArray raw(NDManager scratch, NDArray observations, UnaryOperator<NDArray> network) {
        NDArray inputs = transform.apply(observations);
        if (agentIdInput) {
            long rows = observations.getShape().get(1);
            int agents = spec.numAgents();
            NDArray ids = scratch.eye(agents).expandDims(1).broadcast(new Shape(agents, rows, agents));
            inputs = NDArrays.concat(new NDList(inputs, ids), 2);
        }
        return network.apply(inputs);
    }

    /** The action of a raw output, [agents, rows, outputSize]: low + (high - low) (tanh(x) + 1) / 2 where the Box is bounded, x elsewhere. */
    public NDArray squash(NDManager scratch, NDArray raw) {
        if (!anyBounded) {
            return raw;
        }
        Shape perElement = new Shape(spec.numAgents(), 1, team.outputSize());
        NDArray mask = scratch.create(bounded, perElement);
        NDArray squashed = raw.tanh().mul(scratch.create(halfRange, perElement))
                .add(scratch.create(center, perElement));
        return raw.add(squashed.sub(raw).mul(mask));
    }

    /**
     * Every agent's reward gradient times {@code scale}, [agents, copies, outputSize], zero where an
     * action is padded: the gradient of a loss with respect to the actions, for a backward pass.
     * The array is a view of a buffer the next call refills, so it must be used before then.
     */
    public NDArray scaledRewardGradients(NDManager scratch, EnvSession session, float scale) {
        FloatBuffer values = rewardGradients.asFloatBuffer();
        int outputSize = team.outputSize();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            int actionSize = spec.actionSize(agent);
            float[] gradient = session.rewardGradient(agent);
            for (int copy = 0; copy < copies; copy++) {
                values.position((agent * copies + copy) * outputSize);
                for (int j = copy * actionSize; j < (copy + 1) * actionSize; j++) {
                    values.put(gradient[j] * scale);
                }
            }
        }
        return scratch.create(rewardGradients.rewind(), new Shape(spec.numAgents(), copies, outputSize),
                DataType.FLOAT32);
    }

    /** The padded observation size the actor takes (before any agent id). */
    public int observationSize() {
        return observationSize;
    }

    /** Per agent, an array for its actions in every copy: {@code copies * actionSize(agent)} values. */
    public float[][] newActionArrays() {
        float[][] actions = new float[spec.numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[copies * spec.actionSize(agent)];
        }
        return actions;
    }

    /** Copies each agent's action out of the padded {@code actions} into {@code into} (see {@link #newActionArrays}). */
    public void split(NDArray actions, float[][] into) {
        float[] padded = actions.toFloatArray();
        int outputSize = team.outputSize();
        for (int agent = 0; agent < into.length; agent++) {
            int actionSize = spec.actionSize(agent);
            if (actionSize == outputSize) {
                System.arraycopy(padded, agent * copies * outputSize, into[agent], 0, copies * actionSize);
                continue;
            }
            for (int copy = 0; copy < copies; copy++) {
                System.arraycopy(padded, (agent * copies + copy) * outputSize, into[agent], copy * actionSize,
                        actionSize);
            }
        }
    }

    /**
     * An array owning a copy of {@code data}. DJL's PyTorch engine wraps a direct buffer without
     * copying it, so an array made from a buffer that is refilled later (every step) would change
     * under the autograd graph that saved it; the duplicate makes the array independent of the buffer.
     */
    private static NDArray copyOf(NDManager scratch, ByteBuffer data, Shape shape) {
        NDArray view = scratch.create(data.rewind(), shape, DataType.FLOAT32);
        NDArray copy = view.duplicate();
        view.close();
        return copy;
    }

    private static ByteBuffer directBuffer(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
    }
}
