package org.marlopt.client.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.experiment.ExperimentConfig.Algorithm;
import org.marlopt.client.experiment.ExperimentConfig.Environment;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.policy.PolicyMenu;
import org.marlopt.client.policy.ZeroPolicy;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.env.policy.PolicyCatalog;

/**
 * Every run of an experiment, its settings resolved and checked before any run starts (a bad
 * setting fails at once, not hours in), and per environment the evaluation seeds every run on it
 * shares, so that scores are comparable and the references are evaluated once.
 */
public final class ExperimentPlan {

    /** Evaluations per learned run when no layer sets evalEverySteps: enough points for a curve. */
    static final int EVALUATIONS_PER_RUN = 20;
    /** The absolute metric evaluates the best checkpoint on this many times the periodic episodes. */
    static final int ABSOLUTE_FACTOR = 10;

    /**
     * One run of the grid.
     *
     * @param seed the training seed (null for a classical policy, which does not train)
     * @param config a learned run's resolved settings (a classical run's: the environment's evaluation settings)
     * @param policies a classical run's candidate policies, the best of which it reports (empty for a learned run)
     */
    public record Run(Algorithm algorithm, Environment env, Long seed, Path dir, TrainConfig config,
                      List<String> policies) {

        public boolean learned() {
            return !algorithm.classical();
        }

        public String label() {
            return algorithm.label() + " on " + env.label() + (seed == null ? "" : ", seed " + seed);
        }

        /** The env steps it trains (0 for a classical run): the weight of its share of the grid's progress. */
        long plannedEnvSteps(int horizon) {
            return learned() ? (long) config.episodes() * config.numEnvs() * config.stepsPerRound(horizon) : 0;
        }
    }

    /**
     * What every run on one environment shares.
     *
     * @param spec the environment's spec (one copy)
     * @param evalSeed the first evaluation seed of every run on it
     * @param periodicEpisodes episodes of each evaluation while training; the absolute metric uses
     *     {@value #ABSOLUTE_FACTOR} times as many from the same first seed
     */
    public record EnvPlan(Environment env, SessionSpec spec, long evalSeed, int periodicEpisodes) {

        public int absoluteEpisodes() {
            return ABSOLUTE_FACTOR * periodicEpisodes;
        }

        /** The training horizon of {@code config}'s sessions. */
        int horizon(TrainConfig config) {
            return config.trainHorizon() > 0 ? config.trainHorizon() : spec.env().maxEpisodeSteps();
        }
    }

    private final ExperimentConfig config;
    private final List<Run> runs;
    private final Map<String, EnvPlan> envs;
    private final List<String> skipped;

    private ExperimentPlan(ExperimentConfig config, List<Run> runs, Map<String, EnvPlan> envs, List<String> skipped) {
        this.config = config;
        this.runs = runs;
        this.envs = envs;
        this.skipped = skipped;
    }

    /** Resolves every run of {@code config} against the server {@code client} talks to. */
    public static ExperimentPlan of(ExperimentConfig config, EnvClient client, Path out) {
        List<Run> runs = new ArrayList<>();
        Map<String, EnvPlan> envs = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Environment env : config.environments()) {
            SessionSpec spec = probe(client, env);
            List<Run> learned = learnedRuns(config, env, spec, out, skipped);
            TrainConfig evaluation = learned.isEmpty() ? environmentDefaults(config, env) : learned.get(0).config();
            requireSharedEvaluation(learned, evaluation);
            runs.addAll(learned);
            runs.addAll(classicalRuns(config, env, spec, evaluation, out, skipped));
            envs.put(env.label(), new EnvPlan(env, spec, evaluation.evalSeed(), evaluation.evalEveryEpisodes()));
        }
        return new ExperimentPlan(config, runs, envs, skipped);
    }

    /** Every learned algorithm's runs on {@code env}, one per seed; a pair that cannot train goes to {@code skipped}. */
    private static List<Run> learnedRuns(ExperimentConfig config, Environment env, SessionSpec spec, Path out,
                                         List<String> skipped) {
        List<Run> runs = new ArrayList<>();
        for (Algorithm algorithm : config.algorithms()) {
            if (algorithm.classical()) {
                continue;
            }
            if (Algorithms.get(algorithm.name()).needsRewardGradient() && !spec.env().rewardGradientAvailable()) {
                skipped.add(algorithm.label() + " on " + env.label() + ": it trains on the reward gradient, which "
                        + env.id() + " does not provide");
                continue;
            }
            for (long seed : config.seeds()) {
                runs.add(new Run(algorithm, env, seed, runDir(out, algorithm, env).resolve("seed-" + seed),
                        resolve(config, algorithm, env, seed, spec), List.of()));
            }
        }
        return runs;
    }

    /** Every classical entry's run on {@code env}, evaluated with the learned runs' evaluation settings. */
    private static List<Run> classicalRuns(ExperimentConfig config, Environment env, SessionSpec spec,
                                           TrainConfig evaluation, Path out, List<String> skipped) {
        List<Run> runs = new ArrayList<>();
        for (Algorithm algorithm : config.algorithms()) {
            if (!algorithm.classical()) {
                continue;
            }
            List<String> policies = classicalPolicies(algorithm, env, spec);
            if (policies.isEmpty()) {
                skipped.add(algorithm.label() + " on " + env.label() + ": no classical policy applies to it");
            } else {
                runs.add(new Run(algorithm, env, null, runDir(out, algorithm, env), evaluation, policies));
            }
        }
        return runs;
    }

    public ExperimentConfig config() {
        return config;
    }

    public List<Run> runs() {
        return runs;
    }

    /**
     * The runs in the order they start: the classical ones (quick), then the learned ones seed by
     * seed, so that a grid cut short has every algorithm on every environment with its first seeds.
     */
    public List<Run> executionOrder() {
        List<Run> order = new ArrayList<>(runs.stream().filter(run -> !run.learned()).toList());
        for (long seed : config.seeds()) {
            runs.stream().filter(run -> run.learned() && run.seed() == seed).forEach(order::add);
        }
        return order;
    }

    /** Per environment label, what its runs share. */
    public Map<String, EnvPlan> envs() {
        return envs;
    }

    /** The pairs left out, each with the reason. */
    public List<String> skipped() {
        return skipped;
    }

    EnvPlan envOf(Run run) {
        return envs.get(run.env().label());
    }

    /**
     * A file or directory name from a label: letters, digits and {@code . _ - @} kept, anything else
     * '_' (so that names need no quoting in a shell or a Markdown link).
     */
    static String fileName(String label) {
        return label.replaceAll("[^A-Za-z0-9._@-]", "_");
    }

    private static Path runDir(Path out, Algorithm algorithm, Environment env) {
        return out.resolve("runs").resolve(fileName(algorithm.label() + "@" + env.label()));
    }

    /**
     * The policies a classical entry evaluates: its own, or for {@value ExperimentConfig#BEST_CLASSICAL}
     * every policy on the environment's menu but the trivial zero (its own references, such as the
     * seed's oracle, and the catalog's classical algorithms). Each is made once here, so an unknown
     * name or a bad hyperparameter fails before any run starts.
     */
    private static List<String> classicalPolicies(Algorithm algorithm, Environment env, SessionSpec spec) {
        Map<String, Double> settings = algorithm.policySettings();
        PolicyMenu menu = new PolicyMenu(spec, null, EnvExtras.forEnv(env.id()).referencePolicies(spec),
                PolicyCatalog.discover(), settings);
        List<String> policies = algorithm.name().equals(ExperimentConfig.BEST_CLASSICAL)
                ? menu.names().stream().filter(name -> !name.equals(ZeroPolicy.NAME)).toList()
                : List.of(algorithm.name());
        try {
            menu.select(policies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("classical " + algorithm.name() + " on " + env.label() + ": "
                    + e.getMessage(), e);
        }
        return policies;
    }

    private static SessionSpec probe(EnvClient client, Environment env) {
        try (EnvSession probe = client.open(new SessionRequest(env.id(), env.params(), 1, false))) {
            return probe.spec();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("environment " + env.label() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A learned run's settings (see {@link ExperimentConfig}); unless a layer sets evalEverySteps,
     * {@value #EVALUATIONS_PER_RUN} evaluations spread over its training.
     */
    private static TrainConfig resolve(ExperimentConfig config, Algorithm algorithm, Environment env, long seed,
                                       SessionSpec spec) {
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("envId", env.id());
        grid.put("envParams", env.params());
        grid.put("algorithm", algorithm.name());
        grid.put("seed", seed);
        Map<String, Object> overrides = config.overridesFor(algorithm, env);
        List<Map<String, ?>> layers = List.of(config.settings(), algorithm.settings(), env.settings(), overrides);
        TrainConfig resolved;
        try {
            resolved = TrainConfig.resolve(config.settings(), algorithm.settings(), env.settings(), overrides, grid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(algorithm.label() + " on " + env.label() + ": " + e.getMessage(), e);
        }
        if (layers.stream().noneMatch(layer -> layer.containsKey("evalEverySteps"))) {
            int horizon = resolved.trainHorizon() > 0 ? resolved.trainHorizon() : spec.env().maxEpisodeSteps();
            long total = (long) resolved.episodes() * resolved.numEnvs() * resolved.stepsPerRound(horizon);
            resolved = resolved.with(Map.of("evalEverySteps", Math.max(1, total / EVALUATIONS_PER_RUN)));
        }
        if (resolved.evalEverySteps() == 0 || !resolved.evaluate()) {
            throw new IllegalArgumentException(algorithm.label() + " on " + env.label() + ": an experiment scores "
                    + "runs by their evaluations while training and their best checkpoint; remove evalEverySteps=0 "
                    + "and evaluate=false");
        }
        return resolved;
    }

    /** The evaluation settings of an environment no learned algorithm runs on. */
    private static TrainConfig environmentDefaults(ExperimentConfig config, Environment env) {
        Map<String, Object> grid = Map.of("envId", env.id(), "envParams", env.params());
        return TrainConfig.resolve(config.settings(), env.settings(), grid);
    }

    /** Every run on an environment evaluates on the same seeds, or their scores would not compare. */
    private static void requireSharedEvaluation(List<Run> onEnv, TrainConfig first) {
        for (Run run : onEnv) {
            if (run.config().evalSeed() != first.evalSeed()
                    || run.config().evalEveryEpisodes() != first.evalEveryEpisodes()) {
                throw new IllegalArgumentException(run.label() + ": evalSeed " + run.config().evalSeed()
                        + " and evalEveryEpisodes " + run.config().evalEveryEpisodes() + " differ from "
                        + onEnv.get(0).label() + "'s (" + first.evalSeed() + ", " + first.evalEveryEpisodes()
                        + "); every run on an environment is evaluated on the same seeds, so set them in the "
                        + "experiment's settings or the environment's, not per algorithm");
            }
        }
    }
}
