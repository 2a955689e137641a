package org.marlopt.client.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.io.Json;
import org.marlopt.client.train.TrainConfig;

/**
 * An experiment's grid, read from one YAML or JSON file: algorithms (learned, by their
 * {@code train --algo} name, or classical policies) x environments (with parameters) x seeds.
 *
 * <pre>
 * name: systems
 * seeds: [1, 2, 3, 4, 5]
 * workers: 2
 * java_options: [-Xmx3g]
 * settings: {evalEveryEpisodes: 32}          # every learned run, as train's --set keys
 * environments:
 *   - id: ResourceShare-v1
 *   - id: LoadBalance-v1
 *     params: {routing: weighted_round_robin}
 *     settings: {episodes: 200}               # learned runs on this environment
 * algorithms:
 *   - mappo
 *   - name: matd3
 *     settings: {numEnvs: 16}                 # its learned runs
 *   - classical: best                         # the environment's best classical policy
 *   - classical: power-of-two
 *     settings: {d: 2}                        # the policy's hyperparameters
 * overrides:
 *   matd3@LoadBalance-v1: {episodes: 100}     # one algorithm on one environment (label or id)
 * </pre>
 *
 * A learned run's settings, later winning: the environment's defaults, {@code settings}, the
 * algorithm's, the environment entry's, {@code overrides}, then the grid's own (environment,
 * parameters, algorithm, seed).
 *
 * @param name the experiment's name, recorded with its results
 * @param seeds training seeds, one run per learned algorithm, environment and seed
 * @param workers runs at once (each learned run is a JVM of its own)
 * @param javaOptions options of every training JVM
 * @param settings settings of every learned run
 * @param environments the environments, in report order
 * @param algorithms the algorithms, in report order
 * @param overrides "ALGO@ENV" (environment label or id) to the settings of those runs
 */
public record ExperimentConfig(String name, List<Long> seeds, int workers, List<String> javaOptions,
                               Map<String, Object> settings, List<Environment> environments,
                               List<Algorithm> algorithms, Map<String, Map<String, Object>> overrides) {

    /** The classical entry that stands for each environment's best classical policy. */
    public static final String BEST_CLASSICAL = "best";
    /** Settings the grid sets for each run: they cannot come from the file's settings. */
    static final Set<String> SET_BY_GRID = Set.of("envId", "envParams", "algorithm", "seed");

    /**
     * One environment of the grid.
     *
     * @param label its name in the results and run directories (default: the id, with the parameters)
     */
    public record Environment(String id, Map<String, String> params, String label, Map<String, Object> settings) {
    }

    /**
     * One algorithm of the grid.
     *
     * @param name a learned algorithm's name, a classical policy's name, or {@value #BEST_CLASSICAL}
     * @param classical a classical policy (evaluated, not trained)
     * @param settings a learned algorithm's run settings, or a classical policy's hyperparameters
     */
    public record Algorithm(String name, boolean classical, Map<String, Object> settings) {

        /** A classical policy's hyperparameters, as numbers (checked when the file is read). */
        public Map<String, Double> policySettings() {
            Map<String, Double> numbers = new LinkedHashMap<>();
            settings.forEach((key, value) -> numbers.put(key, Double.valueOf(String.valueOf(value).trim())));
            return numbers;
        }

        /** Its name in the results and run directories. */
        public String label() {
            return classical && name.equals(BEST_CLASSICAL) ? "best-classical" : name;
        }
    }

    public ExperimentConfig {
        require(!seeds.isEmpty(), "seeds", "list at least one training seed, e.g. seeds: [1, 2, 3]");
        require(workers > 0, "workers", "must be > 0, got " + workers);
        require(!environments.isEmpty(), "environments", "list at least one, e.g. - id: ResourceShare-v1");
        require(!algorithms.isEmpty(), "algorithms", "list at least one, e.g. - mappo");
        requireUnique(environments.stream().map(Environment::label).toList(), "environments", "label");
        requireUnique(algorithms.stream().map(Algorithm::label).toList(), "algorithms", "name");
        requireUnique(seeds.stream().map(String::valueOf).toList(), "seeds", "seed");
        requireNoGridKeys(settings, "settings");
        overrides.forEach((key, layer) -> requireNoGridKeys(layer, "overrides." + key));
    }

    /**
     * Refuses in a settings layer what the grid sets per run, and environment parameters: those
     * belong to the environment's entry, so that its references and classical policies see them too.
     */
    static void requireNoGridKeys(Map<String, Object> layer, String where) {
        for (String key : layer.keySet()) {
            require(!SET_BY_GRID.contains(key), where, "'" + key + "' is set by the grid for each run; remove it");
            require(!key.startsWith(TrainConfig.PARAM_PREFIX), where, "'" + key + "' sets an environment "
                    + "parameter; give it under the environment's params, so every run and reference on it sees it");
        }
    }

    /** Reads and checks {@code file}: every error names the entry and the fix. */
    public static ExperimentConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("experiment config " + file + ": no such file");
        }
        Map<String, Object> root;
        try {
            root = Json.mapperFor(file, "experiment config").readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("experiment config " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return parse(root == null ? Map.of() : root, file.getFileName().toString().replaceFirst("\\.[^.]*$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("experiment config " + file + ": " + e.getMessage(), e);
        }
    }

    static ExperimentConfig parse(Map<String, Object> root, String defaultName) {
        requireKnown(root, "the top level", Set.of("name", "seeds", "workers", "java_options", "settings",
                "environments", "algorithms", "overrides"));
        String name = root.containsKey("name") ? String.valueOf(root.get("name")) : defaultName;
        List<Long> seeds = list(root.get("seeds"), "seeds").stream()
                .map(seed -> wholeNumber(seed, "seeds")).toList();
        int workers = root.containsKey("workers") ? Math.toIntExact(wholeNumber(root.get("workers"), "workers")) : 1;
        List<String> javaOptions = root.containsKey("java_options")
                ? list(root.get("java_options"), "java_options").stream().map(String::valueOf).toList() : List.of();
        List<Environment> environments = new ArrayList<>();
        for (Object entry : list(root.get("environments"), "environments")) {
            environments.add(environment(entry));
        }
        List<Algorithm> algorithms = new ArrayList<>();
        for (Object entry : list(root.get("algorithms"), "algorithms")) {
            algorithms.add(algorithm(entry));
        }
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        map(root.get("overrides"), "overrides").forEach((key, value) -> overrides.put(key, map(value,
                "overrides." + key)));
        ExperimentConfig config = new ExperimentConfig(name, seeds, workers, javaOptions,
                map(root.get("settings"), "settings"), environments, algorithms, overrides);
        config.checkOverrideNames();
        return config;
    }

    /** An override must name a learned algorithm and an environment of the grid: a typo would apply nowhere. */
    private void checkOverrideNames() {
        for (String key : overrides.keySet()) {
            int at = key.indexOf('@');
            String algorithm = at < 0 ? key : key.substring(0, at);
            String env = at < 0 ? "" : key.substring(at + 1);
            boolean algorithmKnown = algorithms.stream().anyMatch(a -> !a.classical() && a.name().equals(algorithm));
            boolean envKnown = environments.stream().anyMatch(e -> e.label().equals(env) || e.id().equals(env));
            require(at > 0 && algorithmKnown && envKnown, "overrides." + key, "must be named ALGO@ENV with a learned "
                    + "algorithm of the grid " + algorithms.stream().filter(a -> !a.classical()).map(Algorithm::name)
                    .toList() + " and an environment label or id of the grid " + environments.stream()
                    .map(Environment::label).toList());
        }
    }

    /** The settings of {@code algorithm}'s runs on {@code env} from the overrides (label before id). */
    Map<String, Object> overridesFor(Algorithm algorithm, Environment env) {
        Map<String, Object> merged = new LinkedHashMap<>(overrides.getOrDefault(algorithm.name() + "@" + env.id(),
                Map.of()));
        if (!env.label().equals(env.id())) {
            merged.putAll(overrides.getOrDefault(algorithm.name() + "@" + env.label(), Map.of()));
        }
        return merged;
    }

    private static Environment environment(Object entry) {
        if (entry instanceof String id) {
            return new Environment(id.trim(), Map.of(), id.trim(), Map.of());
        }
        Map<String, Object> fields = map(entry, "environments[]");
        requireKnown(fields, "an environment", Set.of("id", "params", "label", "settings"));
        require(fields.get("id") != null, "environments[]", "each entry needs an id, e.g. - id: LoadBalance-v1");
        String id = String.valueOf(fields.get("id")).trim();
        Map<String, String> params = new TreeMap<>();
        map(fields.get("params"), "environments." + id + ".params").forEach((key, value) ->
                params.put(key, value instanceof List<?> values
                        ? values.stream().map(String::valueOf).collect(Collectors.joining(","))
                        : String.valueOf(value).trim()));
        String label = fields.containsKey("label") ? String.valueOf(fields.get("label")).trim()
                : params.isEmpty() ? id : id + params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                .collect(Collectors.joining(",", "[", "]"));
        Map<String, Object> settings = map(fields.get("settings"), "environments." + label + ".settings");
        requireNoGridKeys(settings, "environments." + label + ".settings");
        return new Environment(id, params, label, settings);
    }

    private static Algorithm algorithm(Object entry) {
        if (entry instanceof String name) {
            return learned(name.trim(), Map.of());
        }
        Map<String, Object> fields = map(entry, "algorithms[]");
        requireKnown(fields, "an algorithm", Set.of("name", "classical", "settings"));
        require(fields.containsKey("name") != fields.containsKey("classical"), "algorithms[]",
                "each entry is either '- name: ALGO' (learned) or '- classical: POLICY' (or 'classical: best'), "
                        + "got " + fields.keySet());
        if (fields.containsKey("classical")) {
            String name = String.valueOf(fields.get("classical")).trim();
            Map<String, Object> settings = map(fields.get("settings"), "algorithms." + name + ".settings");
            settings.forEach((key, value) -> number(value, "algorithms." + name + ".settings." + key));
            return new Algorithm(name, true, settings);
        }
        String name = String.valueOf(fields.get("name")).trim();
        return learned(name, map(fields.get("settings"), "algorithms." + name + ".settings"));
    }

    private static Algorithm learned(String name, Map<String, Object> settings) {
        try {
            Algorithms.get(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("algorithms: " + e.getMessage() + "; a classical policy is listed as "
                    + "'- classical: NAME'");
        }
        requireNoGridKeys(settings, "algorithms." + name + ".settings");
        return new Algorithm(name, false, settings);
    }

    /** The experiment as results record it. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("seeds", seeds);
        json.put("workers", workers);
        json.put("java_options", javaOptions);
        json.put("settings", settings);
        json.put("environments", environments);
        json.put("algorithms", algorithms);
        json.put("overrides", overrides);
        return json;
    }

    private static List<?> list(Object value, String where) {
        require(value instanceof List<?>, where, "must be a list, e.g. " + where + ": [...]");
        return (List<?>) value;
    }

    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        require(value instanceof Map<?, ?>, where, "must be a map of name to value");
        Map<String, Object> map = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((key, setting) -> map.put(String.valueOf(key), setting));
        return map;
    }

    private static long wholeNumber(Object value, String where) {
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": must be whole numbers, got '" + value + "'");
        }
    }

    private static double number(Object value, String where) {
        try {
            return Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": a classical policy's settings are numbers, got '" + value
                    + "'");
        }
    }

    private static void requireKnown(Map<String, Object> fields, String what, Set<String> known) {
        for (String key : fields.keySet()) {
            require(known.contains(key), key, "unknown key in " + what + "; valid keys: " + new TreeMap<>(
                    known.stream().collect(Collectors.toMap(k -> k, k -> ""))).keySet());
        }
    }

    private static void requireUnique(List<String> names, String where, String what) {
        Set<String> seen = new java.util.HashSet<>();
        for (String name : names) {
            require(seen.add(name), where, "the " + what + " '" + name + "' appears twice; give each entry its own"
                    + (what.equals("label") ? " label" : " " + what));
        }
    }

    private static void require(boolean condition, String where, String message) {
        if (!condition) {
            throw new IllegalArgumentException(where + ": " + message);
        }
    }
}
