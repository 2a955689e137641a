package org.marlopt.client.job;

import ai.djl.ndarray.NDManager;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.eval.Evaluator;
import org.marlopt.client.io.EvaluationCsv;
import org.marlopt.client.io.EvaluationEpisodes;
import org.marlopt.client.io.EvaluationFigures;
import org.marlopt.client.policy.LearnedPolicy;
import org.marlopt.client.session.EnvCallException;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainConfig;

/**
 * The evaluations while training ({@code evalEverySteps > 0}): after the round in which the run's
 * env steps reach or cross each multiple of evalEverySteps, and after the last round, the current
 * agents act greedily on the fresh resets evalSeed .. evalSeed + evalEveryEpisodes - 1, as the
 * final evaluation runs the learned policy, and one row goes to evaluations.csv (each episode's
 * return and score to evaluation_episodes.jsonl). It also tracks the
 * best evaluation so far (see {@link EvaluationFigures#beats}), whose agents the run keeps in
 * checkpoint-best. One evaluation session serves the whole run. With {@code evalEverySteps = 0}
 * nothing is ever due and no file is written.
 */
final class PeriodicEvaluation implements AutoCloseable {

    private final EnvClient client;
    private final TrainConfig config;
    private final NDManager manager;
    private final EvaluationCsv csv;
    private final EvaluationEpisodes episodes;
    private EvaluationCsv.Row best;
    private EnvSession session;

    private PeriodicEvaluation(EnvClient client, TrainConfig config, NDManager manager, EvaluationCsv csv,
                               EvaluationEpisodes episodes, EvaluationCsv.Row best) {
        this.client = client;
        this.config = config;
        this.manager = manager;
        this.csv = csv;
        this.episodes = episodes;
        this.best = best;
    }

    /**
     * @param roundsDone rounds already trained (a resumed run keeps the file's rows up to them, and
     *     the best of those rows as the best so far)
     */
    static PeriodicEvaluation open(EnvClient client, TrainConfig config, NDManager manager, Path file,
                                   int roundsDone) throws IOException {
        if (config.evalEverySteps() == 0) {
            return new PeriodicEvaluation(client, config, manager, null, null, null);
        }
        EvaluationCsv csv = EvaluationCsv.open(file, roundsDone);
        EvaluationEpisodes episodes = EvaluationEpisodes.open(file.resolveSibling(TrainJob.EVALUATION_EPISODES_FILE),
                roundsDone);
        EvaluationCsv.Row best = null;
        for (EvaluationCsv.Row row : EvaluationCsv.read(file)) {
            best = best == null || row.figures().beats(best.figures()) ? row : best;
        }
        return new PeriodicEvaluation(client, config, manager, csv, episodes, best);
    }

    /** Whether an evaluation is due after {@code last}, the round just trained. */
    boolean due(EpisodeRecord last) {
        if (csv == null) {
            return false;
        }
        long every = config.evalEverySteps();
        long before = last.envSteps() - (long) last.steps() * last.copies();
        return last.envSteps() / every > before / every || last.episode() + 1 == config.episodes();
    }

    /**
     * Evaluates {@code team} and appends the row of {@code last}, the round just trained.
     *
     * @return whether it is the best evaluation so far, whose agents belong in checkpoint-best
     */
    boolean evaluate(AgentTeam team, EpisodeRecord last) throws IOException {
        EvaluationResult result;
        try {
            result = evaluateOnce(team);
        } catch (EnvCallException e) {
            if (e.code() != Status.Code.NOT_FOUND) {
                throw e;
            }
            // the server ends a session idle longer than its TTL (10 min by default), which a long
            // stretch of training between two evaluations can outlast: open a new one
            closeSession();
            result = evaluateOnce(team);
        }
        EvaluationCsv.Row row = csv.append(new EvaluationCsv.Row(last.episode() + 1, last.envSteps(),
                last.wallSeconds(), EvaluationFigures.of(result)));
        episodes.append(new EvaluationEpisodes.Row(row.round(), row.envSteps(), result.episodeReturns(),
                result.episodeScores()));
        if (best != null && !row.figures().beats(best.figures())) {
            return false;
        }
        best = row;
        return true;
    }

    /** The best evaluation so far, or null before the first. */
    EvaluationCsv.Row best() {
        return best;
    }

    private EvaluationResult evaluateOnce(AgentTeam team) {
        if (session == null) {
            session = Sessions.evaluation(client, config.envId(), config.envParams(), config.evalEveryEpisodes());
        }
        LearnedPolicy policy = new LearnedPolicy(team, session.spec(),
                ObservationTransform.of(config.observationTransform()), manager);
        return Evaluator.evaluate(policy, session, config.evalSeed(), config.evalEveryEpisodes(),
                EnvExtras.forEnv(config.envId()));
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeSession();
        if (csv != null) {
            csv.close();
            episodes.close();
        }
    }
}
