package org.marlopt.client.job;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import io.micrometer.core.instrument.MeterRegistry;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.EvaluationTable;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.grpc.EnvClient;
import org.marlopt.client.grpc.GrpcVectorEnv;
import org.marlopt.client.io.Charts;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.io.EpisodeCsv;
import org.marlopt.client.io.Json;
import org.marlopt.client.metrics.ClientMetrics;
import org.marlopt.client.metrics.EvaluationMetrics;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.RewardGradientTrainer;
import org.marlopt.client.train.StackedAdam;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.client.train.TrainingListener;

/**
 * One training run end to end: session, agents (fresh or from a checkpoint), the trainer with
 * its listeners (CSV, metrics, progress, checkpoints), then evaluation, figures and JSON under
 * the run's output directory.
 */
public final class TrainJob {

    public static final String CONFIG_FILE = "config.json";
    public static final String EPISODES_FILE = "episodes.csv";
    public static final String CHECKPOINT_DIR = "checkpoint";
    public static final String EVALUATION_FILE = "evaluation.json";
    public static final String LEARNING_CURVE_FILE = "learning_curve.png";
    public static final String FINAL_PARAMETERS_FILE = "final_parameters.png";

    /**
     * What a run produced.
     *
     * @param last the last training episode (null when the checkpoint had finished already)
     * @param evaluation the learned policy's evaluation (null when disabled)
     * @param trainingSeconds wall time of the training loop
     * @param envStepsThisRun environment steps this process took in training
     */
    public record Outcome(EpisodeRecord last, EvaluationResult evaluation, double trainingSeconds,
                          long envStepsThisRun) {

        public double envStepsPerSecond() {
            return trainingSeconds > 0 ? envStepsThisRun / trainingSeconds : 0;
        }
    }

    private final EnvClient client;
    private final MeterRegistry registry;
    private final PrintStream console;
    private final boolean showProgress;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
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

    /** A fresh run of {@code config} writing to {@code out}. */
    public Outcome train(TrainConfig config, Path out, String runId) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Model> models = newModels(config);
            try {
                AgentTeam.initialize(models, config.seed());
                return run(config, out, runId, manager, models, null);
            } finally {
                models.forEach(Model::close);
            }
        }
    }

    /**
     * Continues the run saved in {@code checkpoint} with its own settings, except
     * {@code overrides}: {@code episodes} (more rounds; also stretches a linear schedule) and
     * {@code evaluate}, the only settings that leave the continuation exact.
     */
    public Outcome resume(Path checkpoint, Map<String, Object> overrides, Path out, String runId) throws IOException {
        for (String key : overrides.keySet()) {
            if (!key.equals("episodes") && !key.equals("evaluate")) {
                throw new IllegalArgumentException("a resumed run keeps its settings; '" + key + "' cannot change");
            }
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
                return run(config, out, runId, manager, state.models(), state);
            } finally {
                state.models().forEach(Model::close);
            }
        }
    }

    /**
     * When a run resumes into a new directory, starts its CSV from the original run's rows, so the
     * CSV and learning curve still cover the whole run.
     */
    private static void carryOverEpisodes(Path checkpoint, Path out) throws IOException {
        Path original = checkpoint.toAbsolutePath().normalize().resolveSibling(EPISODES_FILE);
        Path target = out.resolve(EPISODES_FILE);
        if (Files.isRegularFile(original) && !Files.exists(target)) {
            Files.createDirectories(out);
            Files.copy(original, target);
        }
    }

    private Outcome run(TrainConfig config, Path out, String runId, NDManager manager, List<Model> models,
                        Checkpoint.State resumed) throws IOException {
        Files.createDirectories(out);
        writeRunConfig(config, out, runId, resumed);
        List<String> agentNames = models.stream().map(Model::getName).toList();
        metrics = registry == null ? null : new ClientMetrics(registry, agentNames, config.movingAverageWindow());
        int firstEpisode = resumed == null ? 0 : resumed.episodesDone();
        long envStepsBefore = resumed == null ? 0 : resumed.envSteps();
        Outcome outcome;
        try (GrpcVectorEnv env = Sessions.training(client, config);
             AgentTeam team = AgentTeam.fromModels(manager, models);
             StackedAdam optimizer = resumed == null
                     ? StackedAdam.create(manager, team.parameters(), config)
                     : StackedAdam.restore(manager, resumed.optimizerState(), resumed.optimizerStep(),
                             team.parameters(), config);
             EpisodeCsv csv = EpisodeCsv.open(out.resolve(EPISODES_FILE), env.dims().agentNames(), firstEpisode)) {
            EpisodeRecord[] last = new EpisodeRecord[1];
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(csv);
            listeners.add(record -> last[0] = record);
            if (metrics != null) {
                listeners.add(metrics);
            }
            if (showProgress) {
                listeners.add(new ConsoleProgress(console, config.episodes(), config.movingAverageWindow()));
            }
            listeners.addAll(extraListeners);
            Path checkpointDir = out.resolve(CHECKPOINT_DIR);
            listeners.add(record -> {
                int done = record.episode() + 1;
                boolean periodic = config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0;
                if (periodic || done == config.episodes()) {
                    csv.flush();
                    saveCheckpoint(checkpointDir, config, done, record.envSteps(), team, optimizer, models);
                }
            });
            RewardGradientTrainer trainer = new RewardGradientTrainer(config, team, optimizer, env, manager,
                    envStepsBefore, listeners);
            long start = System.nanoTime();
            trainer.train(firstEpisode);
            double seconds = (System.nanoTime() - start) / 1e9;
            outcome = new Outcome(last[0], null, seconds, trainer.envSteps() - envStepsBefore);
            csv.flush();
            double[] returns = EpisodeCsv.readReturns(out.resolve(EPISODES_FILE));
            // drawn on another core while the evaluation runs (AWT start-up alone takes a few 100 ms)
            CompletableFuture<Void> curve = CompletableFuture.runAsync(() -> drawLearningCurve(returns, config, out));
            EvaluationResult evaluation = evaluateLearned(config, team, manager, out);
            try {
                curve.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e;
            }
            if (config.evaluate()) {
                outcome = new Outcome(outcome.last(), evaluation, seconds, outcome.envStepsThisRun());
            }
        }
        return outcome;
    }

    private static void drawLearningCurve(double[] returns, TrainConfig config, Path out) {
        try {
            Charts.learningCurve(returns, config.movingAverageWindow(), out.resolve(LEARNING_CURVE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Evaluates the trained agents next to the zero floor and the oracle limit, all on the same
     * seeds (or, with evaluation disabled, runs one greedy episode for the final-parameters figure).
     * Returns the learned policy's result; evaluation.json holds it.
     */
    private EvaluationResult evaluateLearned(TrainConfig config, AgentTeam team, NDManager manager, Path out)
            throws IOException {
        int episodes = config.evaluate() ? config.evalEpisodes() : 1;
        List<String> policies = config.evaluate() ? EvaluateJob.POLICIES : List.of("learned");
        List<EvaluationResult> results = new ArrayList<>();
        try (GrpcVectorEnv env = Sessions.evaluation(client, config, episodes)) {
            for (String policy : policies) {
                results.add(Evaluator.evaluate(EvaluateJob.policy(policy, team, manager), env, config.evalSeed(),
                        episodes));
            }
        }
        EvaluationResult learned = results.get(0);
        Charts.finalParameters(learned.exampleFinalParameters(), config.target() / config.paramDim(),
                out.resolve(FINAL_PARAMETERS_FILE));
        if (config.evaluate()) {
            Json.write(out.resolve(EVALUATION_FILE), learned);
            if (registry != null) {
                results.forEach(new EvaluationMetrics(registry)::evaluated);
            }
            console.print(EvaluationTable.format(results));
        }
        return learned;
    }

    private void saveCheckpoint(Path dir, TrainConfig config, int episodesDone, long envSteps, AgentTeam team,
                                StackedAdam optimizer, List<Model> models) throws IOException {
        team.copyTo(models);
        Checkpoint.save(dir, new Checkpoint.State(config, episodesDone, envSteps, optimizer.step(), models,
                optimizer.state()), RewardGradientTrainer.ALGORITHM);
        if (metrics != null) {
            metrics.checkpointSaved();
        }
    }

    private void writeRunConfig(TrainConfig config, Path out, String runId, Checkpoint.State resumed)
            throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_id", runId);
        run.put("algorithm", RewardGradientTrainer.ALGORITHM);
        run.put("server", client.target());
        run.put("started_at", Instant.now().toString());
        run.put("resumed_at_episode", resumed == null ? null : resumed.episodesDone());
        run.put("training_seeds", List.of(config.seed(), config.trainingSeed(config.episodes()) - 1));
        run.put("evaluation_seeds", List.of(config.evalSeed(), config.evalSeed() + config.evalEpisodes() - 1));
        run.put("config", config.toMap());
        Json.write(out.resolve(CONFIG_FILE), run);
    }

    public static List<Model> newModels(TrainConfig config) {
        List<Model> models = new ArrayList<>();
        int actionSize = config.paramDim() / config.numAgents();
        for (int i = 0; i < config.numAgents(); i++) {
            models.add(AgentNetwork.newModel("agent_" + i, config.paramDim(), config.hiddenSize(), actionSize));
        }
        return models;
    }
}
