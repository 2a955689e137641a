package org.marlopt.client.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.List;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.env.EnvDims;
import org.marlopt.client.env.FirstEpisodeTracker;
import org.marlopt.client.env.VectorSession;

/**
 * The {@code reward-gradient} trainer: the seed notebook's method, made to work.
 *
 * <p>Each step the agents act on their observations (inputs, no gradient flows into them), the
 * env server applies the joint action to every copy and returns the shared reward with its
 * gradient g = d reward / d action for each agent. Treating g as a constant, agent i minimises
 * L_i = -mean_copies(sum_j g_ij * a_ij), so dL_i/da_i = -g_i / copies: gradient ascent on the
 * shared reward, backpropagated through agent i's network only, then one Adam step.
 *
 * <p>Every step builds a fresh graph in a per-step NDManager, runs backward once and closes it
 * before the optimizer's next update, so no graph ever outlives the weights it saw.
 */
public final class RewardGradientTrainer {

    public static final String ALGORITHM = "reward-gradient";

    private final TrainConfig config;
    private final AgentTeam team;
    private final StackedAdam optimizer;
    private final VectorSession env;
    private final NDManager manager;
    private final List<TrainingListener> listeners;
    private final FirstEpisodeTracker tracker;
    private final Shape actionShape;
    private long envSteps;

    /**
     * @param envSteps environment steps already taken (non-zero when resuming)
     */
    public RewardGradientTrainer(TrainConfig config, AgentTeam team, StackedAdam optimizer, VectorSession env,
                                 NDManager manager, long envSteps, List<TrainingListener> listeners) {
        EnvDims dims = env.dims();
        if (dims.numAgents() != team.numAgents() || dims.observationSize() != team.observationSize()
                || dims.actionSize() != team.actionSize()) {
            throw new IllegalArgumentException("agents (" + team.numAgents() + " x " + team.observationSize() + " -> "
                    + team.actionSize() + ") do not fit the environment (" + dims.numAgents() + " x "
                    + dims.observationSize() + " -> " + dims.actionSize() + ")");
        }
        this.config = config;
        this.team = team;
        this.optimizer = optimizer;
        this.env = env;
        this.manager = manager;
        this.envSteps = envSteps;
        this.listeners = List.copyOf(listeners);
        this.tracker = new FirstEpisodeTracker(dims);
        this.actionShape = new Shape(dims.numAgents(), dims.numEnvs(), dims.actionSize());
    }

    /** Trains rounds {@code firstEpisode} .. {@code config.episodes() - 1}. */
    public void train(int firstEpisode) throws IOException {
        long start = System.nanoTime();
        for (int episode = firstEpisode; episode < config.episodes(); episode++) {
            EpisodeRecord record = runEpisode(episode, start);
            for (TrainingListener listener : listeners) {
                listener.onEpisode(record);
            }
        }
    }

    private EpisodeRecord runEpisode(int episode, long start) {
        int copies = env.dims().numEnvs();
        double learningRate = config.learningRateAt(episode);
        float[] lossSums = new float[team.numAgents()];
        float[] gradientNorms = new float[team.numAgents()];
        env.reset(config.trainingSeed(episode));
        tracker.start();
        for (int step = 0; step < config.stepsPerEpisode(); step++) {
            try (NDManager stepManager = manager.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray actions = team.act(team.observe(stepManager, env.observations(), copies));
                env.step(actions.toFloatArray());
                tracker.record(env);
                NDArray rewardGradients = AgentTeam.copyOf(stepManager, env.rewardGradients(), actionShape);
                NDArray losses = actions.mul(rewardGradients).sum(new int[] {1, 2}).mul(-1f / copies);
                collector.backward(losses.sum());
                add(lossSums, losses.toFloatArray());
                if (step == config.stepsPerEpisode() - 1) {
                    gradientNorms = gradientNorms(stepManager);
                }
                optimizer.update(team.parameters(), learningRate);
            }
        }
        int steps = config.stepsPerEpisode();
        envSteps += (long) steps * copies;
        for (int i = 0; i < lossSums.length; i++) {
            lossSums[i] /= steps;
        }
        return new EpisodeRecord(episode, tracker.meanReturn(), tracker.meanLength(), tracker.solvedFraction(),
                lossSums, gradientNorms, learningRate, steps, copies, envSteps, (System.nanoTime() - start) / 1e9);
    }

    /** Per agent, the L2 norm of its whole gradient (all layers). */
    private float[] gradientNorms(NDManager stepManager) {
        NDArray squares = stepManager.zeros(new Shape(team.numAgents()));
        NDList parameters = team.parameters();
        for (NDArray parameter : parameters) {
            NDArray gradient = parameter.getGradient();
            gradient.attach(stepManager);
            squares = squares.add(gradient.square().sum(new int[] {1, 2}));
        }
        return squares.sqrt().toFloatArray();
    }

    private static void add(float[] sums, float[] values) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += values[i];
        }
    }

    /** Environment steps taken since the run began. */
    public long envSteps() {
        return envSteps;
    }
}
