package org.marlopt.client.buffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * A ring buffer of transitions of every copy of one session, in float arrays allocated once and
 * shaped from the session's spec. A transition holds every agent's observation (shared ++ own,
 * padded with zeros to the largest, as the agents' networks take it), the joint action (every
 * agent's action in agent order, unpadded), every agent's reward, the global state, whether the
 * episode terminated, and the next state and observations. Under same-step autoreset the next
 * state and observations of a copy whose episode ended are the ones it ended in (the session's
 * final ones), not the new episode's: truncation is not termination, so a truncated transition
 * bootstraps from where it stopped.
 *
 * <p>Use: {@link #observe} before a step (what the agents acted on), {@link #add} after it.
 * Sampling is uniform with replacement from a caller's seeded random, so a run is reproducible;
 * {@link #save} and {@link #restore} carry the contents through a checkpoint.
 */
public final class ReplayBuffer {

    /**
     * A sampled minibatch, allocated once by {@link #newBatch} and refilled by {@link #sample}.
     *
     * @param observations [agents, size, observationSize]
     * @param actions [size, jointActionSize]
     * @param rewards [size, agents]
     * @param states [size, stateSize]
     * @param terminated [size]: 1 where the episode terminated in the transition
     * @param nextStates [size, stateSize]
     * @param nextObservations [agents, size, observationSize]
     */
    public record Batch(int size, float[] observations, float[] actions, float[] rewards, float[] states,
                        float[] terminated, float[] nextStates, float[] nextObservations) {
    }

    private final SessionSpec spec;
    private final int capacity;
    private final int copies;
    private final int agents;
    private final int observationSize;
    private final int jointActionSize;
    private final int stateSize;
    private final int[] actionOffsets;
    private final float[] stagedObservations;
    private final float[] stagedStates;
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final float[] states;
    private final float[] terminated;
    private final float[] nextStates;
    private final float[] nextObservations;
    private int size;
    private int next;

    /** An empty buffer of {@code capacity} transitions for the session {@code spec} describes. */
    public ReplayBuffer(SessionSpec spec, int capacity) {
        this.spec = spec;
        this.capacity = capacity;
        this.copies = spec.numEnvs();
        this.agents = spec.numAgents();
        this.observationSize = spec.maxObservationSize();
        this.stateSize = spec.stateSize();
        this.actionOffsets = new int[agents + 1];
        for (int agent = 0; agent < agents; agent++) {
            actionOffsets[agent + 1] = actionOffsets[agent] + spec.actionSize(agent);
        }
        this.jointActionSize = actionOffsets[agents];
        this.stagedObservations = new float[copies * agents * observationSize];
        this.stagedStates = new float[copies * stateSize];
        this.observations = new float[capacity * agents * observationSize];
        this.actions = new float[capacity * jointActionSize];
        this.rewards = new float[capacity * agents];
        this.states = new float[capacity * stateSize];
        this.terminated = new float[capacity];
        this.nextStates = new float[capacity * stateSize];
        this.nextObservations = new float[capacity * agents * observationSize];
    }

    /** Remembers every copy's current observations and state: what the next step's actions act on. */
    public void observe(EnvSession env) {
        for (int copy = 0; copy < copies; copy++) {
            for (int agent = 0; agent < agents; agent++) {
                putObservation(env.sharedObservation(), env.ownObservation(agent), agent, copy, stagedObservations,
                        (copy * agents + agent) * observationSize);
            }
        }
        System.arraycopy(env.state(), 0, stagedStates, 0, stagedStates.length);
    }

    /**
     * Adds every copy's transition of the step just taken with {@code jointActions} (per agent,
     * copy-major, as sent) from what {@link #observe} remembered; the oldest are overwritten when full.
     */
    public void add(EnvSession env, float[][] jointActions) {
        boolean[] ended = env.terminated();
        for (int copy = 0; copy < copies; copy++) {
            int t = next;
            System.arraycopy(stagedObservations, copy * agents * observationSize, observations,
                    t * agents * observationSize, agents * observationSize);
            System.arraycopy(stagedStates, copy * stateSize, states, t * stateSize, stateSize);
            System.arraycopy(env.finalState(), copy * stateSize, nextStates, t * stateSize, stateSize);
            for (int agent = 0; agent < agents; agent++) {
                int actionSize = spec.actionSize(agent);
                System.arraycopy(jointActions[agent], copy * actionSize, actions,
                        t * jointActionSize + actionOffsets[agent], actionSize);
                rewards[t * agents + agent] = env.rewards(agent)[copy];
                putObservation(env.finalSharedObservation(), env.finalOwnObservation(agent), agent, copy,
                        nextObservations, (t * agents + agent) * observationSize);
            }
            terminated[t] = ended[copy] ? 1f : 0f;
            next = (next + 1) % capacity;
            size = Math.min(size + 1, capacity);
        }
    }

    /** Shared ++ own observation of the agent in the copy at {@code into[at..]}, zero-padded. */
    private void putObservation(float[] shared, float[] own, int agent, int copy, float[] into, int at) {
        int sharedSize = spec.sharedSize();
        int ownSize = spec.ownSize(agent);
        System.arraycopy(shared, copy * sharedSize, into, at, sharedSize);
        System.arraycopy(own, copy * ownSize, into, at + sharedSize, ownSize);
        Arrays.fill(into, at + sharedSize + ownSize, at + observationSize, 0f);
    }

    /** A minibatch of {@code batchSize} transitions to sample into. */
    public Batch newBatch(int batchSize) {
        return new Batch(batchSize, new float[agents * batchSize * observationSize],
                new float[batchSize * jointActionSize], new float[batchSize * agents], new float[batchSize * stateSize],
                new float[batchSize], new float[batchSize * stateSize], new float[agents * batchSize * observationSize]);
    }

    /** Fills {@code batch} with transitions drawn uniformly, with replacement, by {@code random}. */
    public void sample(SplittableRandom random, Batch batch) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        for (int row = 0; row < batch.size(); row++) {
            copyRow(random.nextInt(size), row, batch);
        }
    }

    private void copyRow(int t, int row, Batch batch) {
        int rows = batch.size();
        for (int agent = 0; agent < agents; agent++) {
            int from = (t * agents + agent) * observationSize;
            int to = (agent * rows + row) * observationSize;
            System.arraycopy(observations, from, batch.observations(), to, observationSize);
            System.arraycopy(nextObservations, from, batch.nextObservations(), to, observationSize);
        }
        System.arraycopy(actions, t * jointActionSize, batch.actions(), row * jointActionSize, jointActionSize);
        System.arraycopy(rewards, t * agents, batch.rewards(), row * agents, agents);
        System.arraycopy(states, t * stateSize, batch.states(), row * stateSize, stateSize);
        System.arraycopy(nextStates, t * stateSize, batch.nextStates(), row * stateSize, stateSize);
        batch.terminated()[row] = terminated[t];
    }

    /** Transitions held. */
    public int size() {
        return size;
    }

    /** Values of one agent's action in a joint action start here (agent {@code numAgents} gives the joint size). */
    public int actionOffset(int agent) {
        return actionOffsets[agent];
    }

    /**
     * The contents as arrays in {@code manager}: the filled part of every store, then the counters
     * (held, next slot) as an int64 array.
     */
    public NDList save(NDManager manager) {
        NDList list = new NDList();
        for (float[] store : stores()) {
            int width = store.length / capacity;
            list.add(manager.create(Arrays.copyOf(store, size * width), new Shape(size, width)));
        }
        list.add(manager.create(new long[] {size, next}));
        return list;
    }

    /** Restores what {@link #save} returned, into this (empty) buffer of the same spec and capacity. */
    public void restore(NDList saved) {
        float[][] stores = stores();
        if (saved.size() != stores.length + 1) {
            throw new IllegalArgumentException("replay buffer state holds " + saved.size() + " arrays, expected "
                    + (stores.length + 1));
        }
        long[] counters = saved.get(stores.length).toLongArray();
        for (int i = 0; i < stores.length; i++) {
            NDArray array = saved.get(i);
            if (!array.getShape().equals(new Shape(counters[0], stores[i].length / capacity))) {
                throw new IllegalArgumentException("replay buffer array " + i + " has shape " + array.getShape()
                        + ", which does not fit " + counters[0] + " of " + capacity + " transitions of this session");
            }
            float[] values = array.toFloatArray();
            System.arraycopy(values, 0, stores[i], 0, values.length);
        }
        this.size = Math.toIntExact(counters[0]);
        this.next = Math.toIntExact(counters[1]);
    }

    private float[][] stores() {
        return new float[][] {observations, actions, rewards, states, terminated, nextStates, nextObservations};
    }
}
