package org.marlopt.client.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.GaussianPolicy;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.agent.TeamActor;
import org.marlopt.client.buffer.RolloutBuffer;
import org.marlopt.client.nn.GradientClipping;
import org.marlopt.client.nn.Mlp;
import org.marlopt.client.nn.ValueNormalizer;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.StackedAdam;
import org.marlopt.client.train.TrainConfig;

/**
 * {@code mappo}: multi-agent PPO (Yu et al. 2022) with a centralised value function, model-free.
 * Laid out like CleanRL's ppo_continuous_action.py: hyperparameters first, then the loop.
 *
 * <p>Actors: a {@link GaussianPolicy} per agent, the agents' networks (the seed architecture) as
 * means and a learned state-independent log-std, acting on each agent's own observation; the
 * environment receives the tanh-squashed sample where the Box is bounded (see
 * {@link TeamActor#squash}). Critic: V(s) on the global state, one output per agent, predicting
 * returns normalised by a {@link ValueNormalizer}.
 *
 * <p>A round resets every copy with its seed, collects {@code stepsPerRound} batched steps into a
 * {@link RolloutBuffer}, computes GAE advantages (bootstrapping from the value of the state an
 * episode was truncated in, never across an episode's end), then runs {@code epochs} passes over
 * the rollout in {@code minibatches} shuffled minibatches: each minibatch is one Adam step of the
 * actors on the clipped surrogate minus an entropy bonus and one of the critic on the squared
 * error to the normalised returns, each after clipping its gradient's norm (per agent for the
 * actors, whole for the critic).
 *
 * <p>State ({@link #state()}), in this order: critic parameters, critic Adam moments, actor Adam
 * moments (the team's arrays, then the log-std's), log-std, value normaliser; the step is the
 * update count (both optimizers take one per minibatch).
 */
public final class Mappo implements Algorithm {

    public static final String NAME = "mappo";

    /**
     * MAPPO's own settings (the actors' learning rate, its schedule, Adam's betas, the actors'
     * hidden size, seed and observation transform come from {@link TrainConfig}).
     *
     * @param gamma discount
     * @param gaeLambda GAE's lambda
     * @param epochs passes over each rollout
     * @param minibatches minibatches per pass
     * @param clipCoef the surrogate's ratio clip
     * @param entropyCoef weight of the entropy bonus
     * @param maxGradNorm largest gradient L2 norm of each actor and of the critic
     * @param initialStd the policies' std at the start, before the tanh of bounded elements
     * @param unboundedActionScale multiplies the initial std of elements whose Box is unbounded
     * @param initialOutputScale a fresh run multiplies the actors' output layer by this, so the
     *     policies' means start near 0 (1: the networks as initialised)
     * @param criticHiddenSize width of both hidden layers of the critic
     * @param criticLearningRate the critic's Adam learning rate (following the actors' schedule)
     * @param valueNormalization whether the critic predicts normalised returns
     * @param valueNormBeta decay per round of the value normaliser's running statistics
     * @param normalizeAdvantages whether advantages are standardised per minibatch and agent
     */
    public record Hyperparameters(double gamma, double gaeLambda, int epochs, int minibatches, double clipCoef,
                                  double entropyCoef, double maxGradNorm, double initialStd,
                                  double unboundedActionScale, double initialOutputScale, int criticHiddenSize,
                                  double criticLearningRate,
                                  boolean valueNormalization, double valueNormBeta, boolean normalizeAdvantages) {

        public Hyperparameters {
            Checks.unitInterval("gamma", gamma);
            Checks.unitInterval("gaeLambda", gaeLambda);
            Checks.positive("epochs", epochs);
            Checks.positive("minibatches", minibatches);
            Checks.positive("clipCoef", clipCoef);
            Checks.notNegative("entropyCoef", entropyCoef);
            Checks.positive("maxGradNorm", maxGradNorm);
            Checks.positive("initialStd", initialStd);
            Checks.positive("unboundedActionScale", unboundedActionScale);
            Checks.positive("initialOutputScale", initialOutputScale);
            Checks.positive("criticHiddenSize", criticHiddenSize);
            Checks.positive("criticLearningRate", criticLearningRate);
            Checks.unitInterval("valueNormBeta", valueNormBeta);
        }

        /** CleanRL's PPO defaults (its actor's output layer at std 0.01) with MAPPO's value normalisation and a 64-unit critic. */
        public static Hyperparameters defaults() {
            return new Hyperparameters(0.99, 0.95, 10, 4, 0.2, 0.0, 0.5, 1.0, 1.0, 0.01, 64, 1e-3, true, 0.99, true);
        }
    }

    private static final int CRITIC_LAYERS = 3;

    private final TrainConfig config;
    private final Hyperparameters hp;
    private final EnvSession env;
    private final SessionSpec spec;
    private final NDManager manager;
    private final NDManager owned;
    private final ObservationTransform transform;
    private final AgentTeam team;
    private final GaussianPolicy policy;
    private final Mlp critic;
    private final StackedAdam actorAdam;
    private final StackedAdam criticAdam;
    private final ValueNormalizer valueNormalizer;
    private final RolloutBuffer rollout;
    private final RolloutCollector rolloutCollector;
    private final int stepsPerRound;
    private long envSteps;
    private long updates;

    /** MAPPO with {@link Hyperparameters#defaults()} under the run's {@code algo.} settings. */
    public Mappo(Setup setup) {
        this(setup, AlgoSettings.bind(NAME, Hyperparameters.defaults(), setup.config().algoParams()));
    }

    /** Builds (or restores from {@code setup.resumed()}) the policies, the critic, their optimizers and the normaliser. */
    public Mappo(Setup setup, Hyperparameters hp) {
        this.config = setup.config();
        this.hp = hp;
        this.env = setup.env();
        this.spec = env.spec();
        this.manager = setup.manager();
        this.owned = manager.newSubManager();
        this.envSteps = setup.envSteps();
        this.transform = ObservationTransform.of(config.observationTransform());
        this.stepsPerRound = config.stepsPerRound(spec.maxEpisodeSteps());
        this.rollout = new RolloutBuffer(spec, stepsPerRound);
        this.valueNormalizer = new ValueNormalizer(owned, spec.numAgents(), hp.valueNormBeta());
        int rows = stepsPerRound * spec.numEnvs();
        if (rows < hp.minibatches()) {
            throw new IllegalArgumentException(NAME + ": a rollout of " + rows + " transitions cannot be split into "
                    + hp.minibatches() + " minibatches; lower algo.minibatches or raise numEnvs or stepsPerEpisode");
        }
        try {
            if (setup.resumed() == null) {
                AgentTeam.scaleOutputLayer(setup.models(), (float) hp.initialOutputScale());
            }
            this.team = AgentTeam.fromModels(owned, setup.models());
            TeamActor actor = new TeamActor(team, spec, transform);
            NDList resumed = setup.resumed() == null ? null : setup.resumed().arrays();
            this.updates = setup.resumed() == null ? 0 : setup.resumed().step();
            int criticArrays = 2 * CRITIC_LAYERS;
            int actorArrays = team.parameters().size() + 1;
            this.critic = resumed == null
                    ? Mlp.create(owned, 1, new int[] {spec.stateSize(), hp.criticHiddenSize(), hp.criticHiddenSize(),
                            spec.numAgents()}, Rounds.random(config, -1))
                    : Mlp.copyOf(owned, resumed.subNDList(0, criticArrays), true);
            this.criticAdam = resumed == null ? StackedAdam.create(owned, critic.parameters(), config)
                    : StackedAdam.restore(owned, resumed.subNDList(criticArrays, 3 * criticArrays), updates,
                            critic.parameters(), config);
            int logStdAt = 3 * criticArrays + 2 * actorArrays;
            this.policy = resumed == null
                    ? GaussianPolicy.create(owned, team, actor, spec, hp.initialStd(), hp.unboundedActionScale())
                    : GaussianPolicy.restore(owned, team, actor, spec, resumed.get(logStdAt));
            this.rolloutCollector = new RolloutCollector(env, policy, rollout, manager, actor.newActionArrays());
            this.actorAdam = resumed == null ? StackedAdam.create(owned, policy.parameters(), config)
                    : StackedAdam.restore(owned, resumed.subNDList(3 * criticArrays, logStdAt), updates,
                            policy.parameters(), config);
            if (resumed != null) {
                valueNormalizer.restore(resumed.get(logStdAt + 1));
            }
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Resets every copy with its round's seed, collects the round's rollout, then learns from it. */
    @Override
    public EpisodeRecord trainRound(int round) {
        SplittableRandom random = Rounds.random(config, round);
        double learningRate = config.learningRateAt(round);
        rolloutCollector.collect(config.trainingSeed(round), random);
        envSteps += (long) stepsPerRound * spec.numEnvs();
        AgentLosses losses = new AgentLosses(spec.numAgents());
        float[] gradientNorms = new float[spec.numAgents()];
        learn(random, learningRate, losses, gradientNorms);
        return Rounds.report(round, spec, rolloutCollector.tracker(), losses.means(), gradientNorms, learningRate,
                stepsPerRound, envSteps);
    }

    /**
     * The learning half of a round, on the rollout last collected: GAE, then epochs x minibatches
     * of actor and critic steps; fills each agent's mean loss and last gradient norm.
     * ({@link UpdateBenchmark} times it on its own.)
     */
    void learn(SplittableRandom random, double learningRate, AgentLosses losses, float[] gradientNorms) {
        try (NDManager scratch = manager.newSubManager()) {
            RolloutBuffer.Contents data = rollout.arrays(scratch);
            NDArray states = transform.apply(data.states());
            float[] values = values(scratch, states).toFloatArray();
            float[] nextValues = values(scratch, transform.apply(data.nextStates())).toFloatArray();
            float[] advantages = PolicyGradient.advantages(data.rewards().toFloatArray(), values, nextValues,
                    data.terminated().toFloatArray(), data.ended().toFloatArray(), stepsPerRound, spec.numEnvs(),
                    hp.gamma(), hp.gaeLambda());
            float[] returns = new float[advantages.length];
            for (int i = 0; i < returns.length; i++) {
                returns[i] = advantages[i] + values[i];
            }
            if (hp.valueNormalization()) {
                valueNormalizer.update(returns);
            }
            int rows = stepsPerRound * spec.numEnvs();
            NDArray advantageArray = scratch.create(advantages, new Shape(rows, spec.numAgents()))
                    .transpose();
            NDArray returnArray = scratch.create(returns, new Shape(rows, spec.numAgents()));
            double criticLearningRate = hp.criticLearningRate() * learningRate / config.learningRate();
            for (int epoch = 0; epoch < hp.epochs(); epoch++) {
                for (NDArray indices : Minibatches.shuffled(scratch, rows, hp.minibatches(), random)) {
                    try (NDManager step = scratch.newSubManager()) {
                        indices.attach(step);
                        float[] stepLosses = trainActors(step, data, advantageArray, indices, learningRate,
                                gradientNorms);
                        trainCritic(step, states, returnArray, indices, criticLearningRate);
                        losses.add(stepLosses);
                    }
                }
            }
        }
    }

    /** The critic's values in return units, [rows, agents], for states [rows, stateSize]. */
    private NDArray values(NDManager scratch, NDArray states) {
        NDArray predicted = critic.forward(states.expandDims(0)).squeeze(0);
        return hp.valueNormalization() ? valueNormalizer.denormalize(scratch, predicted) : predicted;
    }

    /** One Adam step of every actor on its clipped surrogate minus the entropy bonus; returns each agent's loss. */
    private float[] trainActors(NDManager step, RolloutBuffer.Contents data, NDArray advantages, NDArray indices,
                                double learningRate, float[] gradientNorms) {
        NDIndex rows = new NDIndex(":, {}", indices);
        float[] losses;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray mean = policy.mean(step, data.observations().get(rows));
            NDArray logProbs = policy.logProb(step, mean, data.rawActions().get(rows));
            NDArray advantage = advantages.get(rows);
            if (hp.normalizeAdvantages()) {
                advantage = PolicyGradient.standardize(advantage);
            }
            NDArray loss = PolicyGradient.entropyBonus(step, policy, hp.entropyCoef(), PolicyGradient
                    .clippedSurrogateLoss(logProbs, data.logProbs().get(rows), advantage, (float) hp.clipCoef()));
            collector.backward(loss.sum());
            losses = loss.toFloatArray();
        }
        if (config.parameterSharing()) {
            policy.sumGradientsAcrossAgents();
        }
        float[] norms = GradientClipping.clipPerMember(policy.parameters(), (float) hp.maxGradNorm(), step);
        System.arraycopy(norms, 0, gradientNorms, 0, norms.length);
        actorAdam.update(policy.parameters(), learningRate);
        return losses;
    }

    /** One Adam step of the critic on the squared error to the (normalised) returns. */
    private void trainCritic(NDManager step, NDArray states, NDArray returns, NDArray indices, double learningRate) {
        NDArray target = returns.get(new NDIndex("{}", indices));
        if (hp.valueNormalization()) {
            target = valueNormalizer.normalize(step, target);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray predicted = critic.forward(states.get(new NDIndex("{}", indices)).expandDims(0)).squeeze(0);
            collector.backward(predicted.sub(target).square().mean());
        }
        GradientClipping.clipGlobal(critic.parameters(), (float) hp.maxGradNorm(), step);
        criticAdam.update(critic.parameters(), learningRate);
        updates++;
    }

    @Override
    public AgentTeam agents() {
        return team;
    }

    /** See the class comment for the order. */
    @Override
    public State state() {
        NDList arrays = new NDList();
        arrays.addAll(critic.parameters());
        arrays.addAll(criticAdam.state());
        arrays.addAll(actorAdam.state());
        arrays.add(policy.logStd());
        arrays.add(valueNormalizer.state());
        return new State(arrays, updates);
    }

    @Override
    public void close() {
        owned.close();
    }
}
