package org.marlopt.client.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.marlopt.env.DistributedOptimization;

/**
 * Every setting of a training run, in one record. Resolved once (defaults, then config file,
 * then command-line flags) and written next to the run's outputs.
 *
 * <p>Training episodes. reward-gradient is myopic: it follows the gradient of the immediate
 * reward only, so the episode horizon in training decides nothing but which states the agents
 * learn from. Training episodes therefore last {@code trainHorizon} steps (default 1: every
 * sample starts from a fresh start state, the distribution evaluation measures), while
 * evaluation episodes last up to {@code maxSteps}. A training episode (the unit of
 * {@code episodes}) is a round over {@code numEnvs} copies: every copy is reset with its own seed
 * ({@code seed + episode * numEnvs + copy}), then all copies take {@code stepsPerEpisode} batched
 * steps together; a copy whose episode ends is reset by the server in the same step, from its
 * seeded random stream, and keeps stepping, so with the default horizon every step of every
 * copy is a fresh start. Every step of every copy is a training sample (one Adam update per
 * batched step); the round's return, length and solved statistics count
 * each copy's first episode.
 *
 * @param envId environment registry id on the server
 * @param numAgents agents, one network each
 * @param paramDim length of the global parameter vector
 * @param target value the parameters must sum to
 * @param maxSteps steps after which an evaluation episode is truncated
 * @param successThreshold an episode is solved when |target - sum| is below this
 * @param episodes training rounds (see above)
 * @param numEnvs environment copies stepped together in one session
 * @param trainHorizon steps after which a training episode is truncated
 * @param stepsPerEpisode batched steps (and Adam updates) per training round
 * @param hiddenSize width of both hidden layers of every agent
 * @param learningRate Adam learning rate at the first round
 * @param lrSchedule {@code constant} or {@code linear} (decays to 0 over the episodes)
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param epsilon Adam denominator term
 * @param seed seeds the network initialisation and the training resets
 * @param checkpointEvery save a checkpoint every this many episodes (0: only at the end)
 * @param evaluate evaluate the trained agents when training ends
 * @param evalEpisodes fresh resets in the evaluation
 * @param evalSeed first evaluation reset seed; the evaluation uses seeds evalSeed .. evalSeed+N-1
 * @param movingAverageWindow episodes in the moving average of the return
 */
public record TrainConfig(
        String envId,
        int numAgents,
        int paramDim,
        double target,
        int maxSteps,
        double successThreshold,
        int episodes,
        int numEnvs,
        int trainHorizon,
        int stepsPerEpisode,
        int hiddenSize,
        double learningRate,
        String lrSchedule,
        double beta1,
        double beta2,
        double epsilon,
        long seed,
        int checkpointEvery,
        boolean evaluate,
        int evalEpisodes,
        long evalSeed,
        int movingAverageWindow) {

    public TrainConfig {
        requirePositive("numAgents", numAgents);
        requirePositive("paramDim", paramDim);
        requirePositive("maxSteps", maxSteps);
        requirePositive("episodes", episodes);
        requirePositive("numEnvs", numEnvs);
        requirePositive("trainHorizon", trainHorizon);
        requirePositive("stepsPerEpisode", stepsPerEpisode);
        if (paramDim % numAgents != 0) {
            throw new IllegalArgumentException("paramDim (" + paramDim + ") must be divisible by numAgents ("
                    + numAgents + "): each agent owns an equal block");
        }
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("evalEpisodes", evalEpisodes);
        requirePositive("movingAverageWindow", movingAverageWindow);
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0 saves only at the end), got " + checkpointEvery);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (!lrSchedule.equals("constant") && !lrSchedule.equals("linear")) {
            throw new IllegalArgumentException("lrSchedule must be 'constant' or 'linear', got '" + lrSchedule + "'");
        }
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite, got " + target);
        }
        if (!(successThreshold > 0)) {
            throw new IllegalArgumentException("successThreshold must be > 0, got " + successThreshold);
        }
        if (seed < 0 || evalSeed < 0) {
            throw new IllegalArgumentException("seed and evalSeed must be >= 0 (the server takes unsigned seeds)");
        }
        long trainEnd = seed + (long) episodes * numEnvs;
        if (evaluate && evalSeed < trainEnd && seed < evalSeed + evalEpisodes) {
            throw new IllegalArgumentException("evaluation seeds [" + evalSeed + ", " + (evalSeed + evalEpisodes)
                    + ") overlap the training seeds [" + seed + ", " + trainEnd + "): choose an evalSeed >= " + trainEnd);
        }
    }

    public static TrainConfig defaults() {
        return new TrainConfig(DistributedOptimization.ID, 4, 20, 5.0, 50, 0.1,
                1000, 192, 1, 5, 64,
                1e-3, "linear", 0.9, 0.999, 1e-8,
                42L, 250, true, 1000, 1_000_000_000L, 100);
    }

    /** Learning rate for a round: constant, or decaying linearly towards 0 over the run. */
    public double learningRateAt(int episode) {
        if (lrSchedule.equals("constant")) {
            return learningRate;
        }
        return learningRate * (1.0 - (double) episode / episodes);
    }

    /** Reset seed of copy 0 in a training round; copy i uses this plus i. */
    public long trainingSeed(int episode) {
        return seed + (long) episode * numEnvs;
    }

    /** The record as an ordered name -> value map (the on-disk form of a resolved config). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (var component : TrainConfig.class.getRecordComponents()) {
            try {
                map.put(component.getName(), component.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return map;
    }

    /**
     * This config with the given settings replaced. Keys are the record's component names;
     * an unknown key or a malformed value is an error naming the key.
     */
    public TrainConfig with(Map<String, ?> overrides) {
        Map<String, Object> values = toMap();
        for (var entry : overrides.entrySet()) {
            String key = entry.getKey();
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; valid settings: " + values.keySet());
            }
            values.put(key, convert(key, entry.getValue(), values.get(key).getClass()));
        }
        var components = TrainConfig.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = values.get(components[i].getName());
            types[i] = components[i].getType();
        }
        try {
            return TrainConfig.class.getDeclaredConstructor(types).newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(String key, Object value, Class<?> type) {
        String text = String.valueOf(value).trim();
        BiFunction<String, String, IllegalArgumentException> bad = (expected, got) ->
                new IllegalArgumentException("setting '" + key + "' must be " + expected + ", got '" + got + "'");
        try {
            if (type == Integer.class) {
                return Integer.valueOf(text);
            } else if (type == Long.class) {
                return Long.valueOf(text);
            } else if (type == Double.class) {
                return Double.valueOf(text);
            } else if (type == Boolean.class) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw bad.apply("true or false", text);
                }
                return Boolean.valueOf(text);
            }
            return text;
        } catch (NumberFormatException e) {
            throw bad.apply(type == Double.class ? "a number" : "a whole number", text);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
