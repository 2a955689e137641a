package org.marlopt.client.job;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.agent.ParameterSharing;
import org.marlopt.client.algo.Algorithm;
import org.marlopt.client.algo.AlgoSettings;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.EvaluationTable;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.io.EpisodeCsv;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.io.LearningCurveFigure;
import org.marlopt.client.io.Json;
import org.marlopt.client.io.ProcessMemory;
import org.marlopt.client.metrics.ClientMetrics;
import org.marlopt.client.metrics.EvaluationMetrics;
import org.marlopt.client.policy.LearnedPolicy;
import org.marlopt.client.policy.Policy;
import org.marlopt.client.policy.PolicyMenu;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.client.train.TrainingListener;
import org.marlopt.env.policy.PolicyCatalog;

/**
 * One training run end to end: the training session, agents sized from its spec (fresh or from a
 * checkpoint), the algorithm the config names (see {@link Algorithms}), trained round by round
 * with its listeners (CSV, metrics, progress, checkpoints) and, every evalEverySteps env steps, an
 * evaluation of the agents so far (see {@link PeriodicEvaluation}) whose best is kept in
 * checkpoint-best, then the evaluation of the learned agents beside every other policy that
 * applies, the best agents' absolute metric, figures, JSON and the run's {@link RunSummary} under
 * the run's output directory.
 */
public final class TrainJob {

    public static final String CONFIG_FILE = "config.json";
    public static final String EPISODES_FILE = "episodes.csv";
    public static final String CHECKPOINT_DIR = "checkpoint";
    /** The agents of the best evaluation while training, next to the latest checkpoint. */
    public static final String BEST_CHECKPOINT_DIR = "checkpoint-best";
    /** The best agents re-evaluated at the end on {@value TrainConfig#ABSOLUTE_METRIC_FACTOR}x the resets. */
    public static final String ABSOLUTE_METRIC_FILE = "absolute_metric.json";
    public static final String EVALUATION_FILE = "evaluation.json";
    public static final String EVALUATION_ALL_FILE = "evaluation_all.json";
    public static final String LEARNING_CURVE_FILE = "learning_curve.png";
    public static final String EVALUATIONS_FILE = "evaluations.csv";
    public static final String EVALUATION_EPISODES_FILE = "evaluation_episodes.jsonl";

    /**
     * What a run produced.
     *
     * @param last the last training episode (null when the checkpoint had finished already)
     * @param evaluation the learned policy's evaluation (null when disabled or stopped)
     * @param absoluteMetric checkpoint-best's evaluation on {@value TrainConfig#ABSOLUTE_METRIC_FACTOR}x
     *     evalEveryEpisodes resets (null when evaluate is false, evalEverySteps is 0, or stopped)
     * @param trainingSeconds wall time of the training loop, evaluations while training excluded
     * @param envStepsThisRun environment steps this process took in training
     * @param stoppedBy the signal that stopped the run at its last checkpoint (SIGINT, SIGTERM), or
     *     null when it ran to its end
     */
    public record Outcome(EpisodeRecord last, EvaluationResult evaluation, EvaluationResult absoluteMetric,
                          double trainingSeconds, long envStepsThisRun, String stoppedBy) {

        public double envStepsPerSecond() {
            return trainingSeconds > 0 ? envStepsThisRun / trainingSeconds : 0;
        }

        public boolean stopped() {
            return stoppedBy != null;
        }
    }

    private final EnvClient client;
    private final MeterRegistry registry;
    private final PrintStream console;
    private final boolean showProgress;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    private GracefulStop stop = GracefulStop.never();
    private ClientMetrics metrics;

    /**
     * @param registry where the training meters go, or null for none
     * @param showProgress draw a progress bar on {@code console}
     */
    public TrainJob(EnvClient client, MeterRegistry registry, PrintStream console, boolean showProgress) {
        this.client = client;
        this.registry = registry;
        this.console = console;
        this.showProgress = showProgress;
    }

    /** Also reports every training episode to {@code listener} (benchmarks, tests). */
    public TrainJob withListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /**
     * Ends training early when {@code stop} is requested: after the round in progress, with a
     * checkpoint of it and without the final evaluation (a resume does that).
     */
    public TrainJob withStop(GracefulStop stop) {
        this.stop = stop;
        return this;
    }

    /** A fresh run of {@code config} writing to {@code out}: every agent's network is sized from the session's spec. */
    public Outcome train(TrainConfig config, Path out, String runId) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
             EnvSession env = Sessions.training(client, config)) {
            SessionSpec spec = env.spec();
            if (config.parameterSharing()) {
                ParameterSharing.requireEqualSpaces(spec);
            }
            List<Model> models = AgentNetwork.newModels(spec.agentNames(),
                    ParameterSharing.inputSize(spec, config.parameterSharing()), config.hiddenSize(),
                    spec.maxActionSize());
            try {
                AgentTeam.initialize(models, config.seed());
                if (config.parameterSharing()) {
                    ParameterSharing.tie(models);
                }
                return run(config, out, runId, manager, env, models, null);
            } finally {
                models.forEach(Model::close);
            }
        }
    }

    /**
     * Continues the run saved in {@code checkpoint} with its own settings, except
     * {@code overrides}: {@code episodes} (more rounds; also stretches a linear schedule) and
     * {@code evaluate}, the only settings that leave the continuation exact. An {@code algorithm}
     * override must name the algorithm that wrote the checkpoint: another one is refused.
     */
    public Outcome resume(Path checkpoint, Map<String, Object> overrides, Path out, String runId) throws IOException {
        for (String key : overrides.keySet()) {
            if (!key.equals("episodes") && !key.equals("evaluate") && !key.equals("algorithm")) {
                throw new IllegalArgumentException("a resumed run keeps its settings; '" + key + "' cannot change");
            }
        }
        if (overrides.containsKey("algorithm")) {
            requireSameAlgorithm(checkpoint, Checkpoint.config(checkpoint).algorithm(),
                    String.valueOf(overrides.get("algorithm")).trim());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(checkpoint, manager);
            try {
                TrainConfig config = state.config().with(overrides);
                if (config.episodes() < state.episodesDone()) {
                    throw new IllegalArgumentException("--episodes " + config.episodes() + " is below the "
                            + state.episodesDone() + " episodes the checkpoint has already trained");
                }
                carryOverEpisodes(checkpoint, out);
                try (EnvSession env = Sessions.training(client, config)) {
                    return run(config, out, runId, manager, env, state.models(), state);
                }
            } finally {
                state.models().forEach(Model::close);
            }
        }
    }

    /**
     * Refuses to continue a checkpoint under another algorithm: its state (optimizer moments,
     * critics) means nothing to any other.
     */
    public static void requireSameAlgorithm(Path checkpoint, String written, String requested) {
        if (!written.equals(requested)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written by algorithm '" + written
                    + "' and cannot be resumed with '" + requested + "': its trainable state belongs to " + written
                    + "; resume it with " + written + ", or train afresh with --algo " + requested);
        }
    }

    /**
     * When a run resumes into a new directory, starts its CSVs from the original run's rows, so the
     * CSVs and learning curve still cover the whole run, and takes its best agents so far.
     */
    private static void carryOverEpisodes(Path checkpoint, Path out) throws IOException {
        for (String file : List.of(EPISODES_FILE, EVALUATIONS_FILE, EVALUATION_EPISODES_FILE, BEST_CHECKPOINT_DIR)) {
            Path original = checkpoint.toAbsolutePath().normalize().resolveSibling(file);
            Path target = out.resolve(file);
            if (Files.exists(original) && !Files.exists(target)) {
                Files.createDirectories(out);
                copyRecursively(original, target);
            }
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) { // parents come before their children
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private Outcome run(TrainConfig config, Path out, String runId, NDManager manager, EnvSession env,
                        List<Model> models, Checkpoint.State resumed) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> provenance = Provenance.of(client, config, env.spec(), config.algorithm());
        writeRunConfig(config, out, runId, resumed, provenance);
        metrics = registry == null ? null : new ClientMetrics(registry, env.spec(), config.movingAverageWindow());
        int firstEpisode = resumed == null ? 0 : resumed.episodesDone();
        long envStepsBefore = resumed == null ? 0 : resumed.envSteps();
        Algorithm.State resumedState = resumed == null ? null
                : new Algorithm.State(resumed.optimizerState(), resumed.optimizerStep());
        Outcome outcome;
        try (Algorithm algorithm = Algorithms.create(new Algorithm.Setup(config, env, manager, models, resumedState,
                envStepsBefore));
             EpisodeCsv csv = EpisodeCsv.open(out.resolve(EPISODES_FILE), env.spec(), firstEpisode);
             PeriodicEvaluation evaluations = PeriodicEvaluation.open(client, config, manager,
                     out.resolve(EVALUATIONS_FILE), firstEpisode)) {
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(csv);
            if (metrics != null) {
                listeners.add(metrics);
            }
            if (showProgress) {
                listeners.add(new ConsoleProgress(console, config.episodes(), config.movingAverageWindow()));
            }
            listeners.addAll(extraListeners);
            Path checkpointDir = out.resolve(CHECKPOINT_DIR);
            CheckpointSchedule checkpoints = new CheckpointSchedule(config, System::nanoTime);
            long start = System.nanoTime();
            long evaluationNanos = 0; // kept out of the training wall time
            EpisodeRecord last = null;
            for (int episode = firstEpisode; episode < config.episodes(); episode++) {
                last = algorithm.trainRound(episode)
                        .withWallSeconds((System.nanoTime() - start - evaluationNanos) / 1e9);
                for (TrainingListener listener : listeners) {
                    listener.onEpisode(last);
                }
                boolean stopping = stop.requested(); // read once: this round's checkpoint and the loop's end agree
                if (stopping || checkpoints.due(episode + 1)) {
                    csv.flush();
                    saveCheckpoint(checkpointDir, config, episode + 1, last.envSteps(), algorithm, models,
                            provenance);
                    checkpoints.saved();
                }
                if (evaluations.due(last)) {
                    long before = System.nanoTime();
                    if (evaluations.evaluate(algorithm.agents(), last)) {
                        saveCheckpoint(out.resolve(BEST_CHECKPOINT_DIR), config, episode + 1, last.envSteps(),
                                algorithm, models, provenance);
                    }
                    evaluationNanos += System.nanoTime() - before;
                }
                if (stopping) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - start - evaluationNanos) / 1e9;
            long envStepsThisRun = last == null ? 0 : last.envSteps() - envStepsBefore;
            if (stop.requested()) {
                return new Outcome(last, null, null, seconds, envStepsThisRun, stop.signalName());
            }
            outcome = new Outcome(last, null, null, seconds, envStepsThisRun, null);
            csv.flush();
            EvaluationResult evaluation = config.evaluate()
                    ? evaluateLearned(config, algorithm.agents(), manager, out) : null;
            EvaluationResult absoluteMetric = config.evaluate() && config.evalEverySteps() > 0
                    ? evaluateBest(config, out) : null;
            if (evaluation == null) { // else drawn beside the final evaluation, while it ran
                LearningCurveFigure.draw(out, out.resolve(LEARNING_CURVE_FILE));
            }
            outcome = new Outcome(outcome.last(), evaluation, absoluteMetric, seconds, envStepsThisRun, null);
            writeSummary(outcome, envStepsBefore, evaluationNanos / 1e9, out);
        }
        return outcome;
    }

    /** summary.json, read last so that its peak RSS covers the final evaluation too. */
    private void writeSummary(Outcome outcome, long envStepsBefore, double evaluationSeconds, Path out)
            throws IOException {
        if (evaluationSeconds > 0) {
            console.printf(Locale.ROOT, "evaluations while training took %.2f s (not counted in the training time)%n",
                    evaluationSeconds);
        }
        new RunSummary(outcome.trainingSeconds(), evaluationSeconds, envStepsBefore + outcome.envStepsThisRun(),
                ProcessMemory.peakResidentMib(), figuresOf(outcome.evaluation()),
                figuresOf(outcome.absoluteMetric())).write(out);
    }

    private static EvaluationFigures figuresOf(EvaluationResult result) {
        return result == null ? null : EvaluationFigures.of(result);
    }

    /**
     * Evaluates the trained agents next to every other policy that applies (zero, the
     * environment's references, the classical algorithms), all on the same seeds, and draws the
     * environment's charts. evaluation.json holds the learned policy's result, evaluation_all.json
     * every result by policy.
     */
    private EvaluationResult evaluateLearned(TrainConfig config, AgentTeam team, NDManager manager, Path out)
            throws IOException {
        EnvExtras extras = EnvExtras.forEnv(config.envId());
        List<EvaluationResult> results = new ArrayList<>();
        CompletableFuture<Void> figures = null;
        try (EnvSession env = Sessions.evaluation(client, config.envId(), config.envParams(),
                config.evalEpisodes())) {
            SessionSpec spec = env.spec();
            PolicyMenu menu = new PolicyMenu(spec, () -> new LearnedPolicy(team, spec,
                    ObservationTransform.of(config.observationTransform()), manager),
                    extras.referencePolicies(spec), PolicyCatalog.discover(), Map.of());
            for (Policy policy : menu.select(List.of(PolicyMenu.ALL))) {
                results.add(Evaluator.evaluate(policy, env, config.evalSeed(), config.evalEpisodes(), extras));
                if (figures == null) {
                    figures = drawFigures(results.get(0), spec, extras, out);
                }
            }
        }
        Json.write(out.resolve(EVALUATION_ALL_FILE), EvaluateJob.byPolicy(results));
        if (registry != null) {
            results.forEach(new EvaluationMetrics(registry)::evaluated);
        }
        console.print(EvaluationTable.format(results));
        awaitFigures(figures);
        return results.get(0);
    }

    /**
     * Writes the learned agents' evaluation and draws their figures (the environment's charts and
     * the learning curve, with this evaluation beside it) on another thread, so that they take no
     * wall time of their own: they need nothing of the other policies' evaluations, which run meanwhile.
     */
    private static CompletableFuture<Void> drawFigures(EvaluationResult learned, SessionSpec spec, EnvExtras extras,
                                                       Path out) throws IOException {
        Json.write(out.resolve(EVALUATION_FILE), learned.toJson()); // the learning curve reads it
        return CompletableFuture.runAsync(() -> {
            try {
                extras.drawCharts(learned, spec, out);
                LearningCurveFigure.draw(out, out.resolve(LEARNING_CURVE_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void awaitFigures(CompletableFuture<Void> figures) throws IOException {
        try {
            figures.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    /**
     * The absolute metric: checkpoint-best's agents, acting greedily as in the final evaluation, on
     * {@value TrainConfig#ABSOLUTE_METRIC_FACTOR}x evalEveryEpisodes fresh resets from evalSeed,
     * written to absolute_metric.json. A small evaluation while training picks the best agents,
     * so their figure there is biased upwards; these many fresh episodes measure them again.
     */
    private EvaluationResult evaluateBest(TrainConfig config, Path out) throws IOException {
        int episodes = TrainConfig.ABSOLUTE_METRIC_FACTOR * config.evalEveryEpisodes();
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.State best = Checkpoint.load(out.resolve(BEST_CHECKPOINT_DIR), manager);
            try (AgentTeam team = AgentTeam.fromModels(manager, best.models());
                 EnvSession env = Sessions.evaluation(client, config.envId(), config.envParams(), episodes)) {
                LearnedPolicy policy = new LearnedPolicy(team, env.spec(),
                        ObservationTransform.of(config.observationTransform()), manager);
                EvaluationResult result = Evaluator.evaluate(policy, env, config.evalSeed(), episodes,
                        EnvExtras.forEnv(config.envId()));
                writeAbsoluteMetric(best, result, episodes, config.evalSeed(), out);
                return result;
            } finally {
                best.models().forEach(Model::close);
            }
        }
    }

    private void writeAbsoluteMetric(Checkpoint.State best, EvaluationResult result, int episodes, long firstSeed,
                                     Path out) throws IOException {
        String metric = EvaluationFigures.of(result).metric();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("checkpoint", BEST_CHECKPOINT_DIR);
        json.put("round", best.episodesDone());
        json.put("env_steps", best.envSteps());
        json.put("metric", metric);
        json.put("episodes", episodes);
        json.put("first_seed", firstSeed);
        json.put("evaluation", result.toJson());
        Json.write(out.resolve(ABSOLUTE_METRIC_FILE), json);
        console.printf(Locale.ROOT, "absolute metric: %s %.4f on %d episodes from seed %d, the best agents while "
                + "training (round %d, %d env steps; %s/)%n", metric, EvaluationFigures.of(result).get(metric),
                episodes, firstSeed, best.episodesDone(), best.envSteps(), BEST_CHECKPOINT_DIR);
    }

    private void saveCheckpoint(Path dir, TrainConfig config, int episodesDone, long envSteps, Algorithm algorithm,
                                List<Model> models, Map<String, Object> provenance) throws IOException {
        algorithm.agents().copyTo(models);
        Algorithm.State state = algorithm.state();
        Checkpoint.save(dir, new Checkpoint.State(config, episodesDone, envSteps, state.step(), models,
                state.arrays()), algorithm.name(), provenance);
        if (metrics != null) {
            metrics.checkpointSaved();
        }
    }

    private void writeRunConfig(TrainConfig config, Path out, String runId, Checkpoint.State resumed,
                                       Map<String, Object> provenance) throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_id", runId);
        run.put("algorithm", config.algorithm());
        run.put("started_at", Instant.now().toString());
        run.put("resumed_at_episode", resumed == null ? null : resumed.episodesDone());
        run.put("training_seeds", List.of(config.seed(), config.trainingSeed(config.episodes()) - 1));
        run.put("evaluation_seeds", List.of(config.evalSeed(), config.evalSeed() + config.evalEpisodes() - 1));
        run.put("config", config.toMap());
        run.put("hyperparameters", AlgoSettings.toMap(Algorithms.hyperparameters(config)));
        SessionRequest session = Sessions.trainingRequest(client, config);
        run.put("training_session", Map.of("env_id", session.envId(), "params", new TreeMap<>(session.params()),
                "num_envs", session.numEnvs(), "reward_gradient", session.rewardGradient()));
        run.put("provenance", provenance);
        Json.write(out.resolve(CONFIG_FILE), run);
    }
}
