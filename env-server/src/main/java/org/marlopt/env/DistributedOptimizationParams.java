package org.marlopt.env;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of the distributed-optimization environment; the defaults are the seed's.
 *
 * @param numAgents agents sharing the parameter vector
 * @param paramDim length of the parameter vector, divisible by numAgents
 * @param target value the sum of the parameters should reach
 * @param maxEpisodeSteps steps after which an episode is truncated
 * @param successThreshold an episode terminates when |target - sum| is below it
 */
public record DistributedOptimizationParams(
        int numAgents, int paramDim, double target, int maxEpisodeSteps, double successThreshold) {

    /** Upper bound on param_dim, far above any useful size, so sizes cannot overflow. */
    static final int MAX_PARAM_DIM = 1 << 20;

    static final List<ParameterSpec> SPECS = List.of(
            new ParameterSpec("num_agents", "Number of agents; each owns param_dim / num_agents "
                    + "consecutive parameters.", 4, true),
            new ParameterSpec("param_dim", "Length of the shared parameter vector; must be "
                    + "divisible by num_agents.", 20, true),
            new ParameterSpec("target", "Value the sum of the parameters should reach.", 5.0, false),
            new ParameterSpec("max_episode_steps", "Episodes are truncated after this many steps.",
                    50, true),
            new ParameterSpec("success_threshold", "An episode terminates when |target - sum| is "
                    + "below this.", 0.1, false));

    public DistributedOptimizationParams {
        requirePositive("num_agents", numAgents);
        requirePositive("param_dim", paramDim);
        requirePositive("max_episode_steps", maxEpisodeSteps);
        if (paramDim > MAX_PARAM_DIM) {
            throw new EnvArgumentException("params.param_dim",
                    "param_dim must be at most " + MAX_PARAM_DIM + ", got " + paramDim);
        }
        if (paramDim % numAgents != 0) {
            throw new EnvArgumentException("params.param_dim", "param_dim (" + paramDim
                    + ") must be divisible by num_agents (" + numAgents + ") so every agent owns "
                    + "an equal block; choose e.g. param_dim = " + numAgents * Math.max(1, paramDim / numAgents));
        }
        if (!Double.isFinite(target)) {
            throw new EnvArgumentException("params.target", "target must be a finite number, got " + target);
        }
        if (!Double.isFinite(successThreshold) || successThreshold <= 0) {
            throw new EnvArgumentException("params.success_threshold",
                    "success_threshold must be a finite number > 0, got " + successThreshold);
        }
    }

    /** The seed notebook's setting: 4 agents, 20 parameters, target 5, 50 steps, threshold 0.1. */
    public static DistributedOptimizationParams defaults() {
        return new DistributedOptimizationParams(4, 20, 5.0, 50, 0.1);
    }

    /**
     * Reads parameters by name, defaults filling the missing ones.
     *
     * @throws EnvArgumentException naming {@code params.<name>} for an unknown name or bad value
     */
    public static DistributedOptimizationParams fromMap(Map<String, Double> values) {
        for (String name : values.keySet()) {
            if (SPECS.stream().noneMatch(spec -> spec.name().equals(name))) {
                throw new EnvArgumentException("params." + name, "unknown parameter '" + name
                        + "'; accepted: " + SPECS.stream().map(ParameterSpec::name).toList());
            }
        }
        return new DistributedOptimizationParams(
                intParam(values, "num_agents"),
                intParam(values, "param_dim"),
                doubleParam(values, "target"),
                intParam(values, "max_episode_steps"),
                doubleParam(values, "success_threshold"));
    }

    /** The parameters by name, as a spec reports them. */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("num_agents", (double) numAgents);
        map.put("param_dim", (double) paramDim);
        map.put("target", target);
        map.put("max_episode_steps", (double) maxEpisodeSteps);
        map.put("success_threshold", successThreshold);
        return map;
    }

    /** Parameters each agent owns. */
    public int blockSize() {
        return paramDim / numAgents;
    }

    private static double doubleParam(Map<String, Double> values, String name) {
        Double value = values.get(name);
        return value != null ? value : defaultOf(name);
    }

    private static int intParam(Map<String, Double> values, String name) {
        double value = doubleParam(values, name);
        if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new EnvArgumentException("params." + name,
                    name + " must be a whole number, got " + value);
        }
        return (int) value;
    }

    private static double defaultOf(String name) {
        return SPECS.stream().filter(spec -> spec.name().equals(name)).findFirst()
                .orElseThrow().defaultValue();
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new EnvArgumentException("params." + name, name + " must be positive, got " + value);
        }
    }
}
