package org.marlopt.env;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * The seed's distributed-optimization environment, vectorized over {@code numEnvs} copies held
 * in one flat parameter array. Stepping does not allocate: results are written into the reused
 * buffers of one {@link Transition}.
 */
public final class DistributedOptimizationEnv implements VectorEnv {

    static final String INITIAL_PARAMS = "initial_params";
    private static final int OBJECTIVE = 0;
    private static final int DISTANCE = 1;

    private final DistributedOptimizationParams params;
    private final VectorEnvSpec spec;
    private final int numEnvs;
    private final int paramDim;
    private final int blockSize;
    private final AutoresetMode autoresetMode;

    private final float[] state;
    private final SplittableRandom[] randoms;
    /** Per copy: the episode has ended and the copy awaits a reset (explicit or automatic). */
    private final boolean[] episodeOver;
    private final Transition out;
    private boolean everReset;

    public DistributedOptimizationEnv(DistributedOptimizationParams params, VectorOptions options) {
        this(params, options, DistributedOptimization.spec(params, options));
    }

    /** With the spec {@code DistributedOptimization.spec(params, options)} already built. */
    DistributedOptimizationEnv(DistributedOptimizationParams params, VectorOptions options, VectorEnvSpec spec) {
        this.params = params;
        this.spec = spec;
        this.numEnvs = options.numEnvs();
        this.paramDim = params.paramDim();
        this.blockSize = params.blockSize();
        this.autoresetMode = options.autoresetMode();
        this.state = new float[Math.multiplyExact(numEnvs, paramDim)];
        this.randoms = new SplittableRandom[numEnvs];
        this.episodeOver = new boolean[numEnvs];

        int numAgents = params.numAgents();
        float[][] observations = new float[numAgents][];
        float[][] rewards = new float[numAgents][];
        float[] sharedReward = new float[numEnvs];
        for (int agent = 0; agent < numAgents; agent++) {
            observations[agent] = state; // every agent observes the whole parameter vector
            rewards[agent] = sharedReward; // and gets the team reward
        }
        float[][] gradients = options.rewardGradient() ? new float[numAgents][numEnvs * blockSize] : null;
        boolean[] autoreset = autoresetMode == AutoresetMode.NEXT_STEP ? new boolean[numEnvs] : null;
        float[] finalState = autoresetMode == AutoresetMode.SAME_STEP ? new float[state.length] : null;
        this.out = new Transition(state, observations, rewards, gradients, autoreset, finalState,
                numEnvs, DistributedOptimization.INFO_KEYS.size());
    }

    /** One environment with the seed's default parameters. */
    public static DistributedOptimizationEnv withDefaults() {
        return new DistributedOptimizationEnv(DistributedOptimizationParams.defaults(), VectorOptions.single());
    }

    @Override
    public VectorEnvSpec spec() {
        return spec;
    }

    @Override
    public Transition reset(OptionalLong seed, Map<String, Object> options) {
        float[] initial = initialParams(options);
        for (int copy = 0; copy < numEnvs; copy++) {
            if (seed.isPresent()) {
                randoms[copy] = new SplittableRandom(seed.getAsLong() + copy);
            } else if (randoms[copy] == null) {
                randoms[copy] = new SplittableRandom();
            }
        }
        for (int copy = 0; copy < numEnvs; copy++) {
            if (initial == null) {
                resetCopy(copy);
            } else {
                int from = initial.length == paramDim ? 0 : copy * paramDim;
                System.arraycopy(initial, from, state, copy * paramDim, paramDim);
                startEpisode(copy);
            }
        }
        Arrays.fill(out.terminated, false);
        Arrays.fill(out.truncated, false);
        if (out.autoreset != null) {
            Arrays.fill(out.autoreset, false);
        }
        Arrays.fill(out.rewards[0], 0f); // every agent's rewards[i] is this one shared array
        clearGradients();
        out.hasFinalState = false;
        everReset = true;
        return out;
    }

    /** Resets every copy from explicit parameters: {@code paramDim} or {@code numEnvs * paramDim} values. */
    public Transition reset(OptionalLong seed, float[] initialParams) {
        List<Double> values = new ArrayList<>(initialParams.length);
        for (float value : initialParams) {
            values.add((double) value);
        }
        return reset(seed, Map.of(INITIAL_PARAMS, values));
    }

    @Override
    public Transition step(float[][] actions) {
        validate(actions);
        out.hasFinalState = false;
        for (int copy = 0; copy < numEnvs; copy++) {
            if (episodeOver[copy]) { // only reachable in NEXT_STEP mode, validate() rejects DISABLED
                resetCopy(copy);
                out.autoreset[copy] = true;
                out.rewards[0][copy] = 0f;
                out.terminated[copy] = false;
                out.truncated[copy] = false;
                clearGradients(copy);
                continue;
            }
            if (out.autoreset != null) {
                out.autoreset[copy] = false;
            }
            advance(copy, actions);
            if (out.terminated[copy] || out.truncated[copy]) {
                endEpisode(copy);
            }
        }
        if (out.hasFinalState) {
            fillFinalStateOfRunningCopies();
        }
        return out;
    }

    private void validate(float[][] actions) {
        if (!everReset) {
            throw new EpisodeStateException("step before the first reset: call Reset first");
        }
        int numAgents = params.numAgents();
        if (actions.length != numAgents) {
            throw new EnvArgumentException("actions", "expected actions for " + numAgents
                    + " agents, got " + actions.length + "; send one entry per agent in spec order "
                    + spec.agents().stream().map(AgentSpace::name).toList());
        }
        int expected = numEnvs * blockSize;
        for (int agent = 0; agent < numAgents; agent++) {
            float[] action = actions[agent];
            String name = spec.agents().get(agent).name();
            if (action.length != expected) {
                throw new EnvArgumentException("actions[" + agent + "].values", name
                        + " sent " + action.length + " values, expected " + expected + " (num_envs "
                        + numEnvs + " x action size " + blockSize + ", copy-major)");
            }
            for (int i = 0; i < expected; i++) {
                if (!Float.isFinite(action[i])) {
                    throw new EnvArgumentException("actions[" + agent + "].values", name
                            + " value " + i + " (copy " + i / blockSize + ", element " + i % blockSize
                            + ") is " + action[i] + "; every action value must be finite");
                }
            }
        }
        if (autoresetMode == AutoresetMode.DISABLED) {
            for (int copy = 0; copy < numEnvs; copy++) {
                if (episodeOver[copy]) {
                    throw new EpisodeStateException("the episode of copy " + copy + " has ended "
                            + "(terminated or truncated) and autoreset is disabled: call Reset "
                            + "before stepping again");
                }
            }
        }
    }

    /** One transition of one copy: add actions to owned blocks, clip, score. */
    private void advance(int copy, float[][] actions) {
        int row = copy * paramDim;
        int actionRow = copy * blockSize;
        for (int agent = 0; agent < actions.length; agent++) {
            float[] action = actions[agent];
            float[] gradient = out.rewardGradient(agent);
            int block = row + agent * blockSize;
            for (int j = 0; j < blockSize; j++) {
                float moved = state[block + j] + action[actionRow + j];
                float clipped = Math.max(-1f, Math.min(1f, moved));
                state[block + j] = clipped;
                if (gradient != null) { // 1 marks an inactive clip; scaled by the sign below
                    gradient[actionRow + j] = clipped == moved ? 1f : 0f;
                }
            }
        }
        double sum = score(copy);
        out.rewards[0][copy] = (float) -out.info[DISTANCE][copy];
        out.episodeSteps[copy]++;
        out.terminated[copy] = out.info[DISTANCE][copy] < params.successThreshold();
        out.truncated[copy] = out.episodeSteps[copy] >= params.maxEpisodeSteps();
        if (out.rewardGradients != null) {
            // d(-|target - sum|)/d a_j = -sign(sum - target) where the clip is inactive
            float slope = sum > params.target() ? -1f : sum < params.target() ? 1f : 0f;
            for (float[] gradient : out.rewardGradients) {
                for (int j = actionRow; j < actionRow + blockSize; j++) {
                    gradient[j] = gradient[j] != 0f ? slope : 0f;
                }
            }
        }
    }

    /** Writes objective and distance of the copy's current parameters; returns the objective. */
    private double score(int copy) {
        double sum = 0;
        int row = copy * paramDim;
        for (int j = row; j < row + paramDim; j++) {
            sum += state[j];
        }
        out.info[OBJECTIVE][copy] = sum;
        out.info[DISTANCE][copy] = Math.abs(params.target() - sum);
        return sum;
    }

    private void endEpisode(int copy) {
        switch (autoresetMode) {
            case SAME_STEP -> {
                System.arraycopy(state, copy * paramDim, out.finalState, copy * paramDim, paramDim);
                out.hasFinalState = true;
                double objective = out.info[OBJECTIVE][copy];
                double distance = out.info[DISTANCE][copy];
                resetCopy(copy);
                // info describes the transition that ended the episode, the state the new one
                out.info[OBJECTIVE][copy] = objective;
                out.info[DISTANCE][copy] = distance;
            }
            case NEXT_STEP, DISABLED -> episodeOver[copy] = true;
        }
    }

    private void fillFinalStateOfRunningCopies() {
        for (int copy = 0; copy < numEnvs; copy++) {
            if (!out.terminated[copy] && !out.truncated[copy]) {
                System.arraycopy(state, copy * paramDim, out.finalState, copy * paramDim, paramDim);
            }
        }
    }

    /** Draws the copy's parameters uniformly in [-1, 1] from its random stream. */
    private void resetCopy(int copy) {
        SplittableRandom random = randoms[copy];
        int row = copy * paramDim;
        for (int j = row; j < row + paramDim; j++) {
            state[j] = (float) (random.nextDouble() * 2.0 - 1.0);
        }
        startEpisode(copy);
    }

    private void startEpisode(int copy) {
        episodeOver[copy] = false;
        out.episodeSteps[copy] = 0;
        score(copy);
    }

    private void clearGradients() {
        if (out.rewardGradients != null) {
            for (float[] gradient : out.rewardGradients) {
                Arrays.fill(gradient, 0f);
            }
        }
    }

    private void clearGradients(int copy) {
        if (out.rewardGradients != null) {
            for (float[] gradient : out.rewardGradients) {
                Arrays.fill(gradient, copy * blockSize, (copy + 1) * blockSize, 0f);
            }
        }
    }

    /** Reads and checks the "initial_params" option; {@code null} when absent. */
    private float[] initialParams(Map<String, Object> options) {
        for (String key : options.keySet()) {
            if (!INITIAL_PARAMS.equals(key)) {
                throw new EnvArgumentException("options." + key, "unknown reset option '" + key
                        + "'; the only option is '" + INITIAL_PARAMS + "'");
            }
        }
        Object value = options.get(INITIAL_PARAMS);
        if (value == null) {
            return null;
        }
        String field = "options." + INITIAL_PARAMS;
        if (!(value instanceof List<?> list) || (list.size() != paramDim && list.size() != numEnvs * paramDim)) {
            throw new EnvArgumentException(field, INITIAL_PARAMS + " must be a list of " + paramDim
                    + " numbers (every copy) or " + numEnvs * paramDim + " numbers (one row per copy)");
        }
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(list.get(i) instanceof Number number) || !(Math.abs(number.doubleValue()) <= 1.0)) {
                throw new EnvArgumentException(field, INITIAL_PARAMS + "[" + i + "] is " + list.get(i)
                        + "; every value must be a number in [-1, 1]");
            }
            values[i] = number.floatValue();
        }
        return values;
    }
}
