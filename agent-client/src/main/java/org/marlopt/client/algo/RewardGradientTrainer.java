package org.marlopt.client.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.agent.TeamActor;
import org.marlopt.client.eval.FirstEpisodeTracker;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.StackedAdam;
import org.marlopt.client.train.TrainConfig;

/**
 * The {@code reward-gradient} trainer: the seed notebook's method, made to work, for any
 * environment that returns the gradient of each agent's reward with respect to its action.
 *
 * <p>Each step the agents act on their observations (inputs, no gradient flows into them), the
 * env server applies the joint action to every copy and returns each agent's reward with its
 * gradient g_i = d reward_i / d action_i. Treating g as a constant, agent i minimises
 * L_i = -mean_copies(sum_j g_ij * a_ij), so dL_i/da_i = -g_i / copies: gradient ascent on its
 * reward, backpropagated through agent i's network only (and through the tanh that keeps a
 * bounded action inside its Box), then one Adam step. The message part of an action has a zero
 * reward gradient, so what agents send is never trained: they pass on what their untrained
 * message outputs make of their observations.
 *
 * <p>Every step builds a fresh graph in a per-step NDManager, runs backward once and closes it
 * before the optimizer's next update, so no graph ever outlives the weights it saw. The backward
 * pass starts from the actions with dL/da = -g / copies as their gradient (PyTorch's
 * {@code tensor.backward(gradient)}), so no loss is built in the graph; the losses reported are
 * computed from the actions sent and the gradients received.
 *
 * <p>Its trainable state besides the agents' networks is Adam's: the moments of the stacked
 * parameters and the step count.
 */
public final class RewardGradientTrainer implements Algorithm {

    public static final String NAME = "reward-gradient";

    /** reward-gradient has no settings of its own: the learning rate and its schedule are {@link TrainConfig}'s. */
    public record Hyperparameters() {
    }

    private final TrainConfig config;
    private final AgentTeam team;
    private final TeamActor actor;
    private final StackedAdam optimizer;
    private final EnvSession env;
    private final NDManager manager;
    private final FirstEpisodeTracker tracker;
    private final float[][] actions;
    private final int stepsPerRound;
    private long envSteps;

    /**
     * Stacks the agents' models into one team and creates (or restores) Adam over it.
     *
     * @throws IllegalArgumentException when the session returns no reward gradients or the team does not fit it
     */
    public RewardGradientTrainer(Setup setup) {
        EnvSession env = setup.env();
        if (!env.spec().rewardGradient()) {
            throw new IllegalArgumentException(NAME + " needs a session made with reward gradients");
        }
        this.config = setup.config();
        this.env = env;
        this.manager = setup.manager();
        this.envSteps = setup.envSteps();
        this.team = AgentTeam.fromModels(manager, setup.models());
        try {
            this.optimizer = setup.resumed() == null
                    ? StackedAdam.create(manager, team.parameters(), config)
                    : StackedAdam.restore(manager, setup.resumed().arrays(), setup.resumed().step(),
                            team.parameters(), config);
        } catch (RuntimeException e) {
            team.close();
            throw e;
        }
        this.actor = new TeamActor(team, env.spec(), ObservationTransform.of(config.observationTransform()));
        this.tracker = new FirstEpisodeTracker(env.spec());
        this.actions = actor.newActionArrays();
        this.stepsPerRound = config.stepsPerRound(env.spec().maxEpisodeSteps());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Resets every copy with its round's seed, then takes the round's batched steps, one Adam update each. */
    @Override
    public EpisodeRecord trainRound(int episode) {
        int copies = env.spec().numEnvs();
        double learningRate = config.learningRateAt(episode);
        AgentLosses losses = new AgentLosses(team.numAgents());
        float[] gradientNorms = new float[team.numAgents()];
        env.reset(config.trainingSeed(episode));
        tracker.start();
        try (GradientCollector recording = Engine.getInstance().newGradientCollector()) {
            for (int step = 0; step < stepsPerRound; step++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    NDArray teamActions = actor.act(stepManager, env);
                    actor.split(teamActions, actions);
                    env.step(actions);
                    tracker.record(env);
                    // dL/da = -g / copies goes straight into the backward pass: no loss graph to build
                    JniUtils.backward((PtNDArray) teamActions,
                            (PtNDArray) actor.scaledRewardGradients(stepManager, env, -1f / copies), false, false);
                    losses.add(stepLosses(copies));
                    if (step == stepsPerRound - 1) {
                        gradientNorms = team.gradientNorms(stepManager);
                    }
                    if (config.parameterSharing()) {
                        team.sumGradientsAcrossAgents();
                    }
                    optimizer.update(team.parameters(), learningRate);
                }
            }
        }
        envSteps += (long) stepsPerRound * copies;
        return Rounds.report(episode, env.spec(), tracker, losses.means(), gradientNorms, learningRate, stepsPerRound,
                envSteps);
    }

    /** Each agent's loss L_i = -mean_copies(sum_j g_ij * a_ij) of the step just taken, from the arrays sent and received. */
    private float[] stepLosses(int copies) {
        float[] losses = new float[actions.length];
        for (int agent = 0; agent < actions.length; agent++) {
            float[] action = actions[agent];
            float[] gradient = env.rewardGradient(agent);
            double sum = 0;
            for (int i = 0; i < action.length; i++) {
                sum += action[i] * gradient[i];
            }
            losses[agent] = (float) (-sum / copies);
        }
        return losses;
    }

    @Override
    public AgentTeam agents() {
        return team;
    }

    @Override
    public State state() {
        return new State(optimizer.state(), optimizer.step());
    }

    @Override
    public void close() {
        try (AgentTeam closingTeam = team; StackedAdam closingOptimizer = optimizer) {
            // both closed, the optimizer first
        }
    }
}
