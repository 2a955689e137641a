package org.marlopt.client.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.marlopt.client.DidYouMean;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.envs.seed.DistributedOptimization;

/**
 * Every setting of a training run, in one record. Resolved once (defaults for the environment,
 * then config file, then {@code --set}, then command-line flags) and written next to the run's
 * outputs.
 *
 * <p>The environment. {@code envId} names it on the server and {@code envParams} sets its
 * parameters as text ({@code "8"}, {@code "ring"}, {@code "1,2,3"}), typed against the server's
 * declarations when a session is made; omitted ones take the environment's defaults. In a
 * settings file or {@code --set}, {@code param.NAME=VALUE} sets one of them.
 *
 * <p>Training episodes. reward-gradient is myopic: it follows the gradient of the immediate
 * reward only, so the episode horizon in training decides nothing but which states the agents
 * learn from. Training sessions are made with {@code max_episode_steps = trainHorizon} (0 keeps
 * the environment's own), while evaluation sessions keep the environment's. A training episode
 * (the unit of {@code episodes}) is a round over {@code numEnvs} copies: every copy is reset with
 * its own seed ({@code seed + episode * numEnvs + copy}), then all copies take
 * {@code stepsPerEpisode} batched steps together (0: the training horizon, one whole episode); a
 * copy whose episode ends is reset by the server in the same step, from its seeded random
 * stream, and keeps stepping. Every step of every copy is a training sample (one Adam update per
 * batched step); the round's return, length, success and score count each copy's first episode.
 *
 * <p>The seed environment keeps the training definition it was tuned with (1-step training
 * episodes from fresh starts, 5 updates per round over 192 copies, 1000 rounds); any other
 * environment trains on whole episodes of its own length (see {@link #defaults(String)}).
 *
 * @param envId environment registry id on the server
 * @param envParams environment parameters by name, as text
 * @param algorithm the training algorithm, by its name in {@link Algorithms} (default {@value Algorithms#DEFAULT})
 * @param algoParams the algorithm's own settings by name, as text, over its defaults (see
 *     {@code Hyperparameters} in each algorithm; {@code algo.NAME=VALUE} sets one)
 * @param parameterSharing all agents train one network (tied parameters, a one-hot agent id
 *     appended to each observation); needs agents of equal observation and action sizes
 * @param episodes training rounds (see above)
 * @param numEnvs environment copies stepped together in one session
 * @param trainHorizon steps after which a training episode is truncated (0: the environment's own)
 * @param stepsPerEpisode batched steps (and Adam updates) per training round (0: the training horizon)
 * @param hiddenSize width of both hidden layers of every agent
 * @param observationTransform what the networks see of observations: {@code none} (the seed's),
 *     or {@code symlog} for observations of unknown scale (see {@link ObservationTransform})
 * @param learningRate Adam learning rate at the first round
 * @param lrSchedule {@code constant} or {@code linear} (decays to 0 over the episodes)
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param epsilon Adam denominator term
 * @param seed seeds the network initialisation and the training resets
 * @param checkpointEvery save a checkpoint every this many episodes (0: only at the end)
 * @param checkpointEverySeconds also save one after the first round ending this many seconds after
 *     the last save or the start, so a slow run has one early (0: by episodes only)
 * @param evaluate evaluate the trained agents when training ends
 * @param evalEpisodes fresh resets in the evaluation
 * @param evalSeed first evaluation reset seed; the evaluation uses seeds evalSeed .. evalSeed+N-1
 * @param evalEverySteps also evaluate the agents (deterministically, on the first {@code evalEveryEpisodes}
 *     evaluation seeds) while training, after the round in which the run's env steps reach or cross
 *     each multiple of this and after the last round, into {@code evaluations.csv}; the best of them
 *     is kept as {@code checkpoint-best/} and re-evaluated at the end on 10x as many resets (0: never)
 * @param evalEveryEpisodes fresh resets in each of those evaluations
 * @param movingAverageWindow episodes in the moving average of the return
 */
public record TrainConfig(
        String envId,
        Map<String, String> envParams,
        String algorithm,
        Map<String, String> algoParams,
        boolean parameterSharing,
        int episodes,
        int numEnvs,
        int trainHorizon,
        int stepsPerEpisode,
        int hiddenSize,
        String observationTransform,
        double learningRate,
        String lrSchedule,
        double beta1,
        double beta2,
        double epsilon,
        long seed,
        int checkpointEvery,
        int checkpointEverySeconds,
        boolean evaluate,
        int evalEpisodes,
        long evalSeed,
        long evalEverySteps,
        int evalEveryEpisodes,
        int movingAverageWindow) {

    /** The environment {@code train} uses when none is given. */
    public static final String DEFAULT_ENV = DistributedOptimization.ID;
    /** Settings-file and {@code --set} prefix of one environment parameter: {@code param.NAME=VALUE}. */
    public static final String PARAM_PREFIX = "param.";
    /** Settings-file and {@code --set} prefix of one setting of the algorithm: {@code algo.NAME=VALUE}. */
    public static final String ALGO_PREFIX = "algo.";
    /** The absolute metric re-evaluates the best agents on this many times evalEveryEpisodes resets. */
    public static final int ABSOLUTE_METRIC_FACTOR = 10;
    /** Settings that no longer exist, to what replaced them: older settings files still name them. */
    private static final Map<String, String> RENAMED = Map.of(
            "evalEvery", "evalEverySteps (env steps between evaluations while training, 0 for none)");
    /** The train flags whose names are not their settings' (the others differ only in dashes). */
    private static final Map<String, String> FLAG_NAMES = Map.of("lr", "learningRate", "env", "envId",
            "algo", "algorithm");

    public TrainConfig {
        if (envId == null || envId.isBlank()) {
            throw new IllegalArgumentException("envId must name an environment, e.g. " + DEFAULT_ENV);
        }
        envParams = Collections.unmodifiableMap(new LinkedHashMap<>(envParams));
        algoParams = Collections.unmodifiableMap(new LinkedHashMap<>(algoParams));
        Algorithms.get(algorithm).hyperparameters(algoParams);
        requirePositive("episodes", episodes);
        requirePositive("numEnvs", numEnvs);
        requireNotNegative("trainHorizon", trainHorizon, "0 keeps the environment's max_episode_steps");
        requireNotNegative("stepsPerEpisode", stepsPerEpisode, "0 steps one training horizon per round");
        requirePositive("hiddenSize", hiddenSize);
        ObservationTransform.of(observationTransform);
        requirePositive("evalEpisodes", evalEpisodes);
        requirePositive("movingAverageWindow", movingAverageWindow);
        requireNotNegative("checkpointEvery", checkpointEvery, "0 saves only at the end");
        requireNotNegative("checkpointEverySeconds", checkpointEverySeconds, "0 saves by episodes only");
        if (evalEverySteps < 0) {
            throw new IllegalArgumentException("evalEverySteps must be >= 0 (0 never evaluates while training), got "
                    + evalEverySteps);
        }
        requirePositive("evalEveryEpisodes", evalEveryEpisodes);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (!lrSchedule.equals("constant") && !lrSchedule.equals("linear")) {
            throw new IllegalArgumentException("lrSchedule must be 'constant' or 'linear', got '" + lrSchedule + "'");
        }
        if (seed < 0 || evalSeed < 0) {
            throw new IllegalArgumentException("seed and evalSeed must be >= 0 (the server takes unsigned seeds)");
        }
        long trainEnd = seed + (long) episodes * numEnvs;
        requireDisjoint("evaluation", evalSeed, evaluate ? evalEpisodes : 0, seed, trainEnd);
        requireDisjoint("absolute metric (" + ABSOLUTE_METRIC_FACTOR + " x evalEveryEpisodes)", evalSeed,
                evalEverySteps > 0 ? (long) ABSOLUTE_METRIC_FACTOR * evalEveryEpisodes : 0, seed, trainEnd);
    }

    /** Refuses {@code count} evaluation seeds from evalSeed that the training seeds [seed, trainEnd) overlap. */
    private static void requireDisjoint(String what, long evalSeed, long count, long seed, long trainEnd) {
        if (count > 0 && evalSeed < trainEnd && seed < evalSeed + count) {
            throw new IllegalArgumentException(what + " seeds [" + evalSeed + ", " + (evalSeed + count)
                    + ") overlap the training seeds [" + seed + ", " + trainEnd + "): choose an evalSeed >= "
                    + trainEnd);
        }
    }

    /**
     * The seed's first learning rate. At 1e-3 the linear decay ends the run before the agents'
     * one-step moves settle everywhere (99.4% to 99.8% one-step success over training seeds 1 to
     * 5); at 2e-3 every one of those seeds ends at 99.6% to 99.8%, and at 5e-3 at 99.8% to 100%
     * (mean steps to solve <= 1.003), reaching 99% on 1,000 fresh resets after 278k to 374k env
     * steps (median 346k) against 480k at 2e-3 (seed 42); at 1e-2 no sooner (365k, seed 42).
     */
    static final double SEED_LEARNING_RATE = 5e-3;

    /** The defaults of the seed environment, {@value #DEFAULT_ENV}. */
    public static TrainConfig defaults() {
        return defaults(DEFAULT_ENV);
    }

    /**
     * The defaults for an environment. The seed trains 1-step episodes from fresh starts, 5 updates
     * per round over 192 copies, 1000 rounds (about 960,000 env steps), learning rate 5e-3. Any other environment
     * trains whole episodes of its own length: each round resets 32 copies and runs one episode
     * (every step an update), 40 rounds, evaluated on 500 fresh resets.
     */
    public static TrainConfig defaults(String envId) {
        if (envId.equals(DEFAULT_ENV)) {
            return new TrainConfig(envId, Map.of(), Algorithms.DEFAULT, Map.of(), false, 1000, 192, 1, 5, 64, "none",
                    SEED_LEARNING_RATE, "linear", 0.9, 0.999, 1e-8,
                    42L, 250, 60, true, 1000, 1_000_000_000L, 0L, 32, 100);
        }
        return new TrainConfig(envId, Map.of(), Algorithms.DEFAULT, Map.of(), false, 40, 32, 0, 0, 64, "symlog",
                1e-3, "linear", 0.9, 0.999, 1e-8,
                42L, 10, 60, true, 500, 1_000_000_000L, 0L, 32, 10);
    }

    /**
     * The settings in {@code layers}, later layers winning, over the defaults of the environment
     * the last layer naming {@code envId} chooses (the seed's when none does).
     */
    @SafeVarargs
    public static TrainConfig resolve(Map<String, ?>... layers) {
        String envId = DEFAULT_ENV;
        for (Map<String, ?> layer : layers) {
            if (layer.get("envId") != null) {
                envId = String.valueOf(layer.get("envId")).trim();
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map<String, ?> layer : layers) {
            for (var entry : layer.entrySet()) {
                merged.remove(entry.getKey()); // a later layer's setting applies after every earlier one
                merged.put(entry.getKey(), entry.getValue());
            }
        }
        // applied at once: an algo. setting in one layer may belong to the algorithm a later layer names
        return defaults(envId).with(merged);
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

    /** Batched steps in a round of training sessions whose episodes last {@code horizon} steps. */
    public int stepsPerRound(int horizon) {
        return stepsPerEpisode > 0 ? stepsPerEpisode : horizon;
    }

    /**
     * Env steps of the whole run on an environment whose own episodes last {@code envHorizon}
     * steps (a training session's episodes last trainHorizon instead, when it is set).
     */
    public long totalEnvSteps(int envHorizon) {
        int horizon = trainHorizon > 0 ? trainHorizon : envHorizon;
        return (long) episodes * numEnvs * stepsPerRound(horizon);
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
     * This config with the given settings replaced. Keys are the record's component names, or
     * {@code param.NAME} for one environment parameter; {@code envParams} (a map) replaces them
     * all. An unknown key or a malformed value is an error naming the key.
     */
    public TrainConfig with(Map<String, ?> overrides) {
        Map<String, Object> values = toMap();
        Map<String, String> params = new LinkedHashMap<>(envParams);
        Map<String, String> algoSettings = new LinkedHashMap<>(algoParams);
        for (var entry : overrides.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(PARAM_PREFIX) && key.length() > PARAM_PREFIX.length()) {
                params.put(key.substring(PARAM_PREFIX.length()), text(entry.getValue()));
            } else if (key.startsWith(ALGO_PREFIX) && key.length() > ALGO_PREFIX.length()) {
                algoSettings.put(key.substring(ALGO_PREFIX.length()), text(entry.getValue()));
            } else if (key.equals("envParams")) {
                replaceAll(params, key, entry.getValue(), PARAM_PREFIX);
            } else if (key.equals("algoParams")) {
                replaceAll(algoSettings, key, entry.getValue(), ALGO_PREFIX);
            } else if (RENAMED.containsKey(key)) {
                throw new IllegalArgumentException("setting '" + key + "' was replaced by " + RENAMED.get(key));
            } else if (!values.containsKey(key)) {
                String hint = DidYouMean.hint(key, values.keySet(), FLAG_NAMES);
                throw new IllegalArgumentException("unknown setting '" + key + "'; " + (hint.isEmpty() ? ""
                        : hint + " ") + "valid settings: " + values.keySet()
                        + ", " + PARAM_PREFIX + "NAME for an environment parameter and " + ALGO_PREFIX
                        + "NAME for one of the algorithm's");
            } else {
                values.put(key, convert(key, entry.getValue(), values.get(key).getClass()));
            }
        }
        values.put("envParams", params);
        values.put("algoParams", algoSettings);
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

    /** Replaces {@code into} with the map {@code value} a settings file gives for {@code key}. */
    private static void replaceAll(Map<String, String> into, String key, Object value, String prefix) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("setting '" + key + "' must be a map of name to value; set one with "
                    + prefix + "NAME=VALUE");
        }
        into.clear();
        map.forEach((name, setting) -> into.put(String.valueOf(name), text(setting)));
    }

    /** A parameter value as text: a list becomes "1,2,3". */
    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value).trim();
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

    private static void requireNotNegative(String name, int value, String zeroMeans) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 (" + zeroMeans + "), got " + value);
        }
    }
}
