package org.marlopt.env.vector;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.EpisodeStateException;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorEnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.comm.MessageChannel;

/**
 * {@code numEnvs} copies of one environment stepped together (Gymnasium's SyncVectorEnv role),
 * for every environment alike: copy i seeded {@code seed + i}, the three autoreset modes, action
 * validation and clipping, truncation at the step limit, final observations, and the message
 * channel. Stepping does not allocate: results are written into the reused buffers of one
 * {@link Transition}. The dynamics are the environment's {@link EnvBatch}: its copies called one by
 * one, or its own loop over every copy.
 */
public final class BatchedVectorEnv implements VectorEnv {

    /** Mixed into a copy's seed for its channel's drop stream, so drops never shift the dynamics' draws. */
    private static final long CHANNEL_SEED_MIX = 0x9E3779B97F4A7C15L;

    private final ConfiguredEnv configured;
    private final VectorEnvSpec spec;
    private final EnvSpec env;
    private final int numEnvs;
    private final int numAgents;
    private final AutoresetMode autoresetMode;
    private final EnvBatch dynamics;
    private final SplittableRandom[] randoms;
    private final SplittableRandom[] channelRandoms;
    private final MessageChannel channel;
    /** Per copy: the episode has ended and the copy awaits a reset (explicit or automatic). */
    private final boolean[] episodeOver;
    /** Per copy: it advances in the current step (false: NEXT_STEP autoreset resets it instead). */
    private final boolean[] stepping;
    private final Transition out;
    private final BatchOutput output;
    /**
     * Per agent, what {@link EnvBatch#step} reads: every copy's environment action, clipped.
     * Points at the request's own array when its actions have no message to strip and nothing
     * to clip, else at the agent's {@link #clippedActions}.
     */
    private final float[][] envActions;
    /** Per agent that needs it: buffer for every copy's clipped environment action, copy-major. */
    private final float[][] clippedActions;
    private final float[][] actionLow;
    private final float[][] actionHigh;
    /** Per agent: its environment action is unbounded, so nothing is ever clipped. */
    private final boolean[] unbounded;
    /** Per agent: no message to strip and nothing to clip, so the dynamics read the request's array itself. */
    private final boolean[] readAsSent;
    private final int[] actionSizes;
    private final int[] envActionSizes;
    private final int[] observationSizes;
    private final int[] infoSizes;
    private final double[][] savedInfo;
    private boolean everReset;

    /** @throws EnvArgumentException naming {@code options.reward_gradient} when the environment has none */
    public BatchedVectorEnv(ConfiguredEnv configured, VectorOptions options) {
        this.configured = configured;
        this.env = configured.spec();
        this.spec = new VectorEnvSpec(env, options);
        this.numEnvs = options.numEnvs();
        this.numAgents = env.numAgents();
        this.autoresetMode = options.autoresetMode();
        List<AgentSpec> agents = env.agents();
        this.actionSizes = agents.stream().mapToInt(agent -> agent.actionSpace().size()).toArray();
        this.observationSizes = agents.stream().mapToInt(agent -> agent.observationSpace().size()).toArray();
        this.envActionSizes = agents.stream().mapToInt(AgentSpec::envActionSize).toArray();
        this.infoSizes = env.info().stream().mapToInt(InfoSpec::size).toArray();
        this.dynamics = configured.newBatch(numEnvs);
        this.randoms = new SplittableRandom[numEnvs];
        this.channelRandoms = new SplittableRandom[numEnvs];
        this.channel = env.comm().enabled() ? new MessageChannel(env.comm(), agents, numEnvs) : null;
        this.episodeOver = new boolean[numEnvs];
        this.stepping = new boolean[numEnvs];
        this.envActions = new float[numAgents][];
        this.clippedActions = new float[numAgents][];
        this.actionLow = new float[numAgents][];
        this.actionHigh = new float[numAgents][];
        this.unbounded = new boolean[numAgents];
        this.readAsSent = new boolean[numAgents];
        for (int agent = 0; agent < numAgents; agent++) {
            BoxSpace action = agents.get(agent).actionSpace();
            int envSize = envActionSizes[agent];
            actionLow[agent] = action.low();
            actionHigh[agent] = action.high();
            unbounded[agent] = isUnbounded(actionLow[agent], envSize, Float.NEGATIVE_INFINITY)
                    && isUnbounded(actionHigh[agent], envSize, Float.POSITIVE_INFINITY);
            readAsSent[agent] = unbounded[agent] && envSize == actionSizes[agent];
            if (!readAsSent[agent]) {
                clippedActions[agent] = new float[Math.multiplyExact(numEnvs, envSize)];
            }
        }
        this.savedInfo = new double[infoSizes.length][];
        for (int key = 0; key < infoSizes.length; key++) {
            savedInfo[key] = new double[infoSizes[key]];
        }
        this.out = newTransition(options.rewardGradient());
        this.output = new BatchOutput(out, new CopyOutput(out, env.sharedObservationSpace().size(),
                observationSizes, env.stateSpace().size(), actionSizes, infoSizes));
    }

    private static boolean isUnbounded(float[] bounds, int size, float infinity) {
        for (int j = 0; j < size; j++) {
            if (bounds[j] != infinity) {
                return false;
            }
        }
        return true;
    }

    private Transition newTransition(boolean rewardGradient) {
        int sharedSize = env.sharedObservationSpace().size();
        int stateSize = env.stateSpace().size();
        float[][] observations = new float[numAgents][];
        float[][] rewards = new float[numAgents][numEnvs];
        float[][] gradients = rewardGradient ? new float[numAgents][] : null;
        for (int agent = 0; agent < numAgents; agent++) {
            observations[agent] = new float[Math.multiplyExact(numEnvs, observationSizes[agent])];
            if (gradients != null) {
                gradients[agent] = new float[Math.multiplyExact(numEnvs, actionSizes[agent])];
            }
        }
        double[][] info = new double[infoSizes.length][];
        for (int key = 0; key < infoSizes.length; key++) {
            info[key] = new double[Math.multiplyExact(numEnvs, infoSizes[key])];
        }
        boolean sameStep = autoresetMode == AutoresetMode.SAME_STEP;
        float[][] finalObservations = null;
        if (sameStep) {
            finalObservations = new float[numAgents][];
            for (int agent = 0; agent < numAgents; agent++) {
                finalObservations[agent] = new float[observations[agent].length];
            }
        }
        return new Transition(new float[Math.multiplyExact(numEnvs, sharedSize)], observations,
                new float[Math.multiplyExact(numEnvs, stateSize)], rewards, gradients,
                autoresetMode == AutoresetMode.NEXT_STEP ? new boolean[numEnvs] : null, info,
                sameStep ? new float[numEnvs * sharedSize] : null, finalObservations,
                sameStep ? new float[numEnvs * stateSize] : null, numEnvs);
    }

    @Override
    public VectorEnvSpec spec() {
        return spec;
    }

    @Override
    public Transition reset(OptionalLong seed, Map<String, Object> options) {
        configured.checkResetOptions(options, numEnvs);
        for (int copy = 0; copy < numEnvs; copy++) {
            if (seed.isPresent()) {
                long copySeed = seed.getAsLong() + copy;
                randoms[copy] = new SplittableRandom(copySeed);
                channelRandoms[copy] = new SplittableRandom(copySeed ^ CHANNEL_SEED_MIX);
            } else if (randoms[copy] == null) {
                randoms[copy] = new SplittableRandom();
                channelRandoms[copy] = new SplittableRandom();
            }
        }
        for (int copy = 0; copy < numEnvs; copy++) {
            resetCopy(copy, options);
        }
        clearRewardsAndFlags();
        if (out.autoreset != null) {
            Arrays.fill(out.autoreset, false);
        }
        out.hasFinal = false;
        everReset = true;
        return out;
    }

    @Override
    public Transition step(float[][] actions) {
        validate(actions);
        out.hasFinal = false;
        for (int copy = 0; copy < numEnvs; copy++) {
            stepping[copy] = !episodeOver[copy];
            if (episodeOver[copy]) { // only reachable in NEXT_STEP mode: validate() rejects DISABLED
                resetCopy(copy, Map.of());
                out.autoreset[copy] = true;
            } else if (out.autoreset != null) {
                out.autoreset[copy] = false;
            }
        }
        clearRewardsAndFlags();
        stepDynamics(clip(actions));
        if (out.rewardGradients != null) {
            zeroGradientWhereClipped(actions);
        }
        boolean anyEnded = false;
        for (int copy = 0; copy < numEnvs; copy++) {
            if (!stepping[copy]) {
                continue;
            }
            out.episodeSteps[copy]++;
            out.truncated[copy] = out.episodeSteps[copy] >= env.maxEpisodeSteps();
            if (channel != null) {
                channel.exchange(copy, actions, out.observations);
            }
            anyEnded |= ended(copy);
        }
        if (anyEnded) {
            endEpisodes();
        }
        return out;
    }

    /** The dynamics of the stepping copies: all at once, or each run of consecutive ones. */
    private void stepDynamics(float[][] envActions) {
        int copy = 0;
        while (copy < numEnvs) {
            if (!stepping[copy]) {
                copy++;
                continue;
            }
            int end = copy + 1;
            while (end < numEnvs && stepping[end]) {
                end++;
            }
            dynamics.step(envActions, copy, end, output);
            copy = end;
        }
    }

    private boolean ended(int copy) {
        return out.terminated[copy] || out.truncated[copy];
    }

    /** Every copy's environment action, clipped into the box: see {@link #envActions}. */
    private float[][] clip(float[][] actions) {
        for (int agent = 0; agent < numAgents; agent++) {
            if (readAsSent[agent]) {
                envActions[agent] = actions[agent];
                continue;
            }
            float[] action = actions[agent];
            float[] clipped = clippedActions[agent];
            float[] low = actionLow[agent];
            float[] high = actionHigh[agent];
            int size = envActionSizes[agent];
            for (int copy = 0; copy < numEnvs; copy++) {
                int from = copy * actionSizes[agent];
                int to = copy * size;
                if (unbounded[agent]) {
                    System.arraycopy(action, from, clipped, to, size);
                    continue;
                }
                for (int j = 0; j < size; j++) {
                    clipped[to + j] = Math.max(low[j], Math.min(high[j], action[from + j]));
                }
            }
            envActions[agent] = clipped;
        }
        return envActions;
    }

    /** A clipped action element does not move the reward: its derivative is 0, whatever the dynamics wrote. */
    private void zeroGradientWhereClipped(float[][] actions) {
        for (int agent = 0; agent < numAgents; agent++) {
            if (unbounded[agent]) {
                continue;
            }
            float[] clipped = envActions[agent];
            float[] gradient = out.rewardGradients[agent];
            int size = envActionSizes[agent];
            for (int copy = 0; copy < numEnvs; copy++) {
                if (!stepping[copy]) {
                    continue;
                }
                int row = copy * actionSizes[agent];
                for (int j = 0; j < size; j++) {
                    if (clipped[copy * size + j] != actions[agent][row + j]) {
                        gradient[row + j] = 0f;
                    }
                }
            }
        }
    }

    /** The copies whose episode ended in this step restart now (SAME_STEP) or await a reset. */
    private void endEpisodes() {
        if (autoresetMode != AutoresetMode.SAME_STEP) {
            for (int copy = 0; copy < numEnvs; copy++) {
                episodeOver[copy] |= ended(copy);
            }
            return;
        }
        // An ended copy's final observation is its row now; a running copy's repeats its current one.
        copyRowsToFinal();
        out.hasFinal = true;
        for (int copy = 0; copy < numEnvs; copy++) {
            if (ended(copy)) {
                // info and flags describe the transition that ended the episode; the observations the new one
                saveInfo(copy);
                boolean terminated = out.terminated[copy];
                boolean truncated = out.truncated[copy];
                resetCopy(copy, Map.of());
                restoreInfo(copy);
                out.terminated[copy] = terminated;
                out.truncated[copy] = truncated;
            }
        }
    }

    /**
     * Starts a copy's episode: dynamics, channel, observations; step count 0. Rewards and
     * gradients are left alone, so an autoreset inside a step keeps the ending transition's.
     */
    private void resetCopy(int copy, Map<String, Object> options) {
        dynamics.reset(copy, randoms[copy], options, output);
        if (channel != null) {
            channel.reset(copy, channelRandoms[copy], out.observations);
        }
        episodeOver[copy] = false;
        out.episodeSteps[copy] = 0;
    }

    /**
     * Rewards, gradients and flags of every copy set to 0 / false: after a reset, and before the
     * dynamics write those of the copies that step.
     */
    private void clearRewardsAndFlags() {
        for (int agent = 0; agent < numAgents; agent++) {
            Arrays.fill(out.rewards[agent], 0f);
            if (out.rewardGradients != null) {
                Arrays.fill(out.rewardGradients[agent], 0f);
            }
        }
        Arrays.fill(out.terminated, false);
        Arrays.fill(out.truncated, false);
    }

    private void saveInfo(int copy) {
        for (int key = 0; key < infoSizes.length; key++) {
            System.arraycopy(out.info[key], copy * infoSizes[key], savedInfo[key], 0, infoSizes[key]);
        }
    }

    private void restoreInfo(int copy) {
        for (int key = 0; key < infoSizes.length; key++) {
            System.arraycopy(savedInfo[key], 0, out.info[key], copy * infoSizes[key], infoSizes[key]);
        }
    }

    private void copyRowsToFinal() {
        System.arraycopy(out.sharedObservation, 0, out.finalSharedObservation, 0, out.sharedObservation.length);
        for (int agent = 0; agent < numAgents; agent++) {
            System.arraycopy(out.observations[agent], 0, out.finalObservations[agent], 0, out.observations[agent].length);
        }
        System.arraycopy(out.state, 0, out.finalState, 0, out.state.length);
    }

    private void validate(float[][] actions) {
        if (!everReset) {
            throw new EpisodeStateException("step before the first reset: call Reset first");
        }
        if (actions.length != numAgents) {
            throw new EnvArgumentException("actions", "expected actions for " + numAgents + " agents, got "
                    + actions.length + "; send one entry per agent in spec order " + agentNames());
        }
        for (int agent = 0; agent < numAgents; agent++) {
            float[] action = actions[agent];
            int size = actionSizes[agent];
            String name = env.agents().get(agent).name();
            if (action.length != numEnvs * size) {
                throw new EnvArgumentException("actions[" + agent + "].values", name + " sent " + action.length
                        + " values, expected " + numEnvs * size + " (num_envs " + numEnvs + " x action size "
                        + size + ", copy-major)");
            }
            for (int i = 0; i < action.length; i++) {
                if (!Float.isFinite(action[i])) {
                    throw new EnvArgumentException("actions[" + agent + "].values", name + " value " + i + " (copy "
                            + i / size + ", element " + i % size + ") is " + action[i]
                            + "; every action value must be finite");
                }
            }
        }
        if (autoresetMode == AutoresetMode.DISABLED) {
            for (int copy = 0; copy < numEnvs; copy++) {
                if (episodeOver[copy]) {
                    throw new EpisodeStateException("the episode of copy " + copy + " has ended (terminated or "
                            + "truncated) and autoreset is disabled: call Reset before stepping again");
                }
            }
        }
    }

    private List<String> agentNames() {
        return env.agents().stream().map(AgentSpec::name).toList();
    }
}
