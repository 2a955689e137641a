package org.marlopt.client.buffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * One round's on-policy rollout of every copy of a session, {@code steps} batched steps long, in
 * float arrays allocated once (MAPPO's and COMA's). Row {@code t * copies + copy} is step t of a
 * copy. A row holds every agent's observation (padded as the networks take it), the global state,
 * the raw action each agent sampled with its log-probability, the joint action the environment
 * received, every agent's reward, whether the episode terminated or ended (terminated or
 * truncated) in the step, and the state and observations the step led to: under same-step
 * autoreset those of the ended episode where it ended, so truncation bootstraps from where it
 * stopped.
 *
 * <p>Use: {@link #observe} before a step, {@link #add} after it, {@link #arrays} once the rollout is
 * full; {@link #clear} starts the next.
 */
public final class RolloutBuffer {

    /**
     * The rollout as arrays of one manager, {@code rows = steps * copies}.
     *
     * @param observations [agents, rows, observationSize]
     * @param states [rows, stateSize]
     * @param rawActions [agents, rows, actionOutputs]: the sampled raw (pre-squash) actions
     * @param logProbs [agents, rows]: their log-probabilities when sampled
     * @param jointActions [rows, jointActionSize]: what the environment received, agent after agent
     * @param rewards [rows, agents]
     * @param terminated [rows]: 1 where the episode terminated in the step
     * @param ended [rows]: 1 where it terminated or was truncated
     * @param nextStates [rows, stateSize]
     * @param nextObservations [agents, rows, observationSize]
     */
    public record Contents(NDArray observations, NDArray states, NDArray rawActions, NDArray logProbs,
                         NDArray jointActions, NDArray rewards, NDArray terminated, NDArray ended,
                         NDArray nextStates, NDArray nextObservations) {
    }

    private final SessionSpec spec;
    private final int steps;
    private final int copies;
    private final int agents;
    private final int observationSize;
    private final int outputs;
    private final int stateSize;
    private final int[] actionOffsets;
    private final float[] stagedObservations;
    private final float[] observations;
    private final float[] states;
    private final float[] rawActions;
    private final float[] logProbs;
    private final float[] jointActions;
    private final float[] rewards;
    private final float[] terminated;
    private final float[] ended;
    private final float[] nextStates;
    private final float[] nextObservations;
    private int step;

    /** An empty rollout of {@code steps} batched steps for the session {@code spec} describes. */
    public RolloutBuffer(SessionSpec spec, int steps) {
        this.spec = spec;
        this.steps = steps;
        this.copies = spec.numEnvs();
        this.agents = spec.numAgents();
        this.observationSize = spec.maxObservationSize();
        this.outputs = spec.maxActionSize();
        this.stateSize = spec.stateSize();
        this.actionOffsets = new int[agents + 1];
        for (int agent = 0; agent < agents; agent++) {
            actionOffsets[agent + 1] = actionOffsets[agent] + spec.actionSize(agent);
        }
        int rows = steps * copies;
        this.stagedObservations = new float[agents * copies * observationSize];
        this.observations = new float[agents * rows * observationSize];
        this.states = new float[rows * stateSize];
        this.rawActions = new float[agents * rows * outputs];
        this.logProbs = new float[agents * rows];
        this.jointActions = new float[rows * actionOffsets[agents]];
        this.rewards = new float[rows * agents];
        this.terminated = new float[rows];
        this.ended = new float[rows];
        this.nextStates = new float[rows * stateSize];
        this.nextObservations = new float[agents * rows * observationSize];
    }

    /** Remembers every copy's observations and state at the current step: what the agents act on. */
    public void observe(EnvSession env) {
        requireRoom();
        putObservations(env.sharedObservation(), env::ownObservation, stagedObservations, copies, 0);
        int rows = steps * copies;
        for (int agent = 0; agent < agents; agent++) {
            System.arraycopy(stagedObservations, agent * copies * observationSize, observations,
                    (agent * rows + step * copies) * observationSize, copies * observationSize);
        }
        System.arraycopy(env.state(), 0, states, step * copies * stateSize, copies * stateSize);
    }

    /** The observations {@link #observe} just remembered, [agents, copies, observationSize] flattened (the buffer's own array). */
    public float[] currentObservations() {
        return stagedObservations;
    }

    /**
     * Completes the step just taken.
     *
     * @param raw the sampled raw actions, [agents, copies, actionOutputs] flattened
     * @param sampledLogProbs their log-probabilities, [agents, copies] flattened
     * @param sent per agent, what the environment received, copy-major (as {@link EnvSession#step} takes it)
     */
    public void add(EnvSession env, float[] raw, float[] sampledLogProbs, float[][] sent) {
        int rows = steps * copies;
        int joint = actionOffsets[agents];
        for (int agent = 0; agent < agents; agent++) {
            System.arraycopy(raw, agent * copies * outputs, rawActions, (agent * rows + step * copies) * outputs,
                    copies * outputs);
            System.arraycopy(sampledLogProbs, agent * copies, logProbs, agent * rows + step * copies, copies);
            int actionSize = spec.actionSize(agent);
            float[] reward = env.rewards(agent);
            for (int copy = 0; copy < copies; copy++) {
                int row = step * copies + copy;
                System.arraycopy(sent[agent], copy * actionSize, jointActions, row * joint + actionOffsets[agent],
                        actionSize);
                rewards[row * agents + agent] = reward[copy];
            }
        }
        boolean[] terminatedNow = env.terminated();
        boolean[] truncatedNow = env.truncated();
        for (int copy = 0; copy < copies; copy++) {
            int row = step * copies + copy;
            terminated[row] = terminatedNow[copy] ? 1f : 0f;
            ended[row] = terminatedNow[copy] || truncatedNow[copy] ? 1f : 0f;
        }
        System.arraycopy(env.finalState(), 0, nextStates, step * copies * stateSize, copies * stateSize);
        putObservations(env.finalSharedObservation(), env::finalOwnObservation, nextObservations, rows, step * copies);
        step++;
    }

    /** Writes shared ++ own (zero-padded) of every agent and copy at rows {@code firstRow..} of a [agents, rows, obs] store. */
    private void putObservations(float[] shared, IntFunction<float[]> own, float[] into, int rows,
                                 int firstRow) {
        int sharedSize = spec.sharedSize();
        for (int agent = 0; agent < agents; agent++) {
            int ownSize = spec.ownSize(agent);
            float[] ownValues = own.apply(agent);
            for (int copy = 0; copy < copies; copy++) {
                int at = (agent * rows + firstRow + copy) * observationSize;
                System.arraycopy(shared, copy * sharedSize, into, at, sharedSize);
                System.arraycopy(ownValues, copy * ownSize, into, at + sharedSize, ownSize);
                Arrays.fill(into, at + sharedSize + ownSize, at + observationSize, 0f);
            }
        }
    }

    /** Whether every step of the rollout has been added. */
    public boolean full() {
        return step == steps;
    }

    /** Empties the rollout (the arrays are overwritten by the next). */
    public void clear() {
        step = 0;
    }

    /** The full rollout as arrays in {@code manager}. */
    public Contents arrays(NDManager manager) {
        if (!full()) {
            throw new IllegalStateException("the rollout holds " + step + " of " + steps + " steps");
        }
        int rows = steps * copies;
        return new Contents(manager.create(observations, new Shape(agents, rows, observationSize)),
                manager.create(states, new Shape(rows, stateSize)),
                manager.create(rawActions, new Shape(agents, rows, outputs)),
                manager.create(logProbs, new Shape(agents, rows)),
                manager.create(jointActions, new Shape(rows, actionOffsets[agents])),
                manager.create(rewards, new Shape(rows, agents)),
                manager.create(terminated, new Shape(rows)),
                manager.create(ended, new Shape(rows)),
                manager.create(nextStates, new Shape(rows, stateSize)),
                manager.create(nextObservations, new Shape(agents, rows, observationSize)));
    }

    /** Values of one agent's action in a joint action start here (agent {@code numAgents} gives the joint size). */
    public int actionOffset(int agent) {
        return actionOffsets[agent];
    }

    public int steps() {
        return steps;
    }

    private void requireRoom() {
        if (full()) {
            throw new IllegalStateException("the rollout is full (" + steps + " steps); clear it first");
        }
    }
}
