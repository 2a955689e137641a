package org.marlopt.client.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import org.marlopt.client.nn.Polyak;
import org.marlopt.client.nn.ValueNormalizer;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.StackedAdam;
import org.marlopt.client.train.TrainConfig;

/**
 * {@code coma}: counterfactual multi-agent policy gradients (Foerster et al. 2018), the seed's
 * cited method, made continuous. COMA's critic scores every discrete action of an agent to form
 * its baseline; with continuous actions the sum becomes an expectation, estimated by sampling:
 * <pre>
 *   A_i(s, a) = Q_i(s, a) - 1/K sum_k Q_i(s, (a_-i, a_i^k)),   a_i^k ~ pi_i(. | o_i)
 * </pre>
 * all K counterfactuals of all agents going through the critic in one batched call.
 *
 * <p>Actors: a {@link GaussianPolicy} per agent on its own observation, as in MAPPO. Critic: one
 * centralised Q(s, a) on the global state and the joint action the environment received, one
 * output per agent, predicting normalised returns ({@link ValueNormalizer}), with a Polyak-averaged
 * target copy.
 *
 * <p>A round: reset every copy with its seed and collect a {@link RolloutBuffer}; fit the critic
 * ({@code criticEpochs} passes in {@code minibatches}) to TD(lambda) returns bootstrapped by the
 * target critic, Q'(s', a') with a' the action taken next in the rollout or, where the episode
 * ended or the rollout stops, one drawn from the current policy at the observation the step led
 * to (a terminated step does not bootstrap; a truncated one does); then compute the
 * counterfactual advantages with the fitted critic and step the actors ({@code epochs} passes in
 * {@code minibatches}) on PPO's clipped surrogate of them, minus an entropy bonus. With
 * {@code epochs = 1} and {@code minibatches = 1} that step is COMA's own policy gradient
 * -mean(A_i grad log pi_i): the ratio is 1 on fresh data.
 *
 * <p>State ({@link #state()}), in this order: critic parameters, critic Adam moments, target
 * critic, actor Adam moments, log-std, value normaliser; the step is the critic update count
 * (the actors have taken step / criticEpochs * epochs).
 */
public final class Coma implements Algorithm {

    public static final String NAME = "coma";

    /**
     * COMA's own settings (the actors' learning rate, its schedule, Adam's betas, the actors'
     * hidden size, seed and observation transform come from {@link TrainConfig}).
     *
     * @param gamma discount
     * @param tdLambda lambda of the critic's TD(lambda) returns
     * @param counterfactualSamples K, the sampled actions per agent in its baseline
     * @param criticEpochs passes of the critic over each rollout
     * @param epochs passes of the actors over each rollout
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
     * @param tau target critic smoothing coefficient, per critic update
     * @param valueNormalization whether the critic predicts normalised returns
     * @param valueNormBeta decay per round of the value normaliser's running statistics
     * @param returnAdvantage A_i = G - baseline_i, the taken joint action valued by its TD(lambda)
     *     return G instead of the critic's Q_i(s, a): the same counterfactual baseline (it does not
     *     depend on a_i, so the gradient stays unbiased however wrong the critic is), at the price of
     *     the return's variance; false is COMA as published
     */
    public record Hyperparameters(double gamma, double tdLambda, int counterfactualSamples, int criticEpochs,
                                  int epochs, int minibatches, double clipCoef, double entropyCoef,
                                  double maxGradNorm, double initialStd, double unboundedActionScale,
                                  double initialOutputScale, int criticHiddenSize, double criticLearningRate, double tau,
                                  boolean valueNormalization, double valueNormBeta, boolean returnAdvantage) {

        public Hyperparameters {
            Checks.unitInterval("gamma", gamma);
            Checks.unitInterval("tdLambda", tdLambda);
            Checks.positive("counterfactualSamples", counterfactualSamples);
            Checks.positive("criticEpochs", criticEpochs);
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
            Checks.unitInterval("tau", tau);
            Checks.unitInterval("valueNormBeta", valueNormBeta);
        }

        /** COMA's TD(0.8) critic, 16 counterfactual samples, PPO-style actor passes with MAPPO's defaults. */
        public static Hyperparameters defaults() {
            return new Hyperparameters(0.99, 0.8, 16, 4, 4, 4, 0.2, 0.0, 0.5, 1.0, 1.0, 0.01, 128, 1e-3, 0.05, true,
                    0.99, false);
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
    private final Mlp targetCritic;
    private final StackedAdam actorAdam;
    private final StackedAdam criticAdam;
    private final ValueNormalizer valueNormalizer;
    private final RolloutBuffer rollout;
    private final JointActions jointActions;
    private final RolloutCollector rolloutCollector;
    private final int stepsPerRound;
    private final int rows;
    private long envSteps;
    private long updates;

    /** COMA with {@link Hyperparameters#defaults()} under the run's {@code algo.} settings. */
    public Coma(Setup setup) {
        this(setup, AlgoSettings.bind(NAME, Hyperparameters.defaults(), setup.config().algoParams()));
    }

    /** Builds (or restores from {@code setup.resumed()}) the policies, the critics, their optimizers and the normaliser. */
    public Coma(Setup setup, Hyperparameters hp) {
        this.config = setup.config();
        this.hp = hp;
        this.env = setup.env();
        this.spec = env.spec();
        this.manager = setup.manager();
        this.owned = manager.newSubManager();
        this.envSteps = setup.envSteps();
        this.transform = ObservationTransform.of(config.observationTransform());
        this.stepsPerRound = config.stepsPerRound(spec.maxEpisodeSteps());
        this.rows = stepsPerRound * spec.numEnvs();
        this.rollout = new RolloutBuffer(spec, stepsPerRound);
        this.jointActions = new JointActions(spec);
        this.valueNormalizer = new ValueNormalizer(owned, spec.numAgents(), hp.valueNormBeta());
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
            int inputs = spec.stateSize() + jointActions.size();
            this.critic = resumed == null
                    ? Mlp.create(owned, 1, new int[] {inputs, hp.criticHiddenSize(), hp.criticHiddenSize(),
                            spec.numAgents()}, Rounds.random(config, -1))
                    : Mlp.copyOf(owned, resumed.subNDList(0, criticArrays), true);
            this.criticAdam = resumed == null ? StackedAdam.create(owned, critic.parameters(), config)
                    : StackedAdam.restore(owned, resumed.subNDList(criticArrays, 3 * criticArrays), updates,
                            critic.parameters(), config);
            this.targetCritic = Mlp.copyOf(owned, resumed == null ? critic.parameters()
                    : resumed.subNDList(3 * criticArrays, 4 * criticArrays), false);
            int logStdAt = 4 * criticArrays + 2 * actorArrays;
            this.policy = resumed == null
                    ? GaussianPolicy.create(owned, team, actor, spec, hp.initialStd(), hp.unboundedActionScale())
                    : GaussianPolicy.restore(owned, team, actor, spec, resumed.get(logStdAt));
            this.rolloutCollector = new RolloutCollector(env, policy, rollout, manager, actor.newActionArrays());
            this.actorAdam = resumed == null ? StackedAdam.create(owned, policy.parameters(), config)
                    : StackedAdam.restore(owned, resumed.subNDList(4 * criticArrays, logStdAt),
                            updates / hp.criticEpochs() * hp.epochs(), policy.parameters(), config);
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

    /** Resets every copy with its round's seed, collects the round's rollout, fits the critic, then the actors. */
    @Override
    public EpisodeRecord trainRound(int round) {
        SplittableRandom random = Rounds.random(config, round);
        double learningRate = config.learningRateAt(round);
        rolloutCollector.collect(config.trainingSeed(round), random);
        envSteps += (long) rows;
        AgentLosses losses = new AgentLosses(spec.numAgents());
        float[] gradientNorms = new float[spec.numAgents()];
        learn(random, learningRate, losses, gradientNorms);
        return Rounds.report(round, spec, rolloutCollector.tracker(), losses.means(), gradientNorms, learningRate,
                stepsPerRound, envSteps);
    }

    /**
     * The learning half of a round, on the rollout last collected: TD(lambda) returns, the critic's
     * passes, the counterfactual advantages, the actors' passes; fills each agent's mean loss and
     * last gradient norm. ({@link UpdateBenchmark} times it on its own.)
     */
    void learn(SplittableRandom random, double learningRate, AgentLosses losses, float[] gradientNorms) {
        try (NDManager scratch = manager.newSubManager()) {
            RolloutBuffer.Contents data = rollout.arrays(scratch);
            NDArray criticInputs = NDArrays.concat(new NDList(transform.apply(data.states()), data.jointActions()), 1);
            NDArray returns = tdLambdaReturns(scratch, data, criticInputs, random);
            double criticLearningRate = hp.criticLearningRate() * learningRate / config.learningRate();
            fitCritic(scratch, criticInputs, returns, random, criticLearningRate);
            NDArray advantages = counterfactualAdvantages(scratch, data, criticInputs, returns, random);
            trainActors(scratch, data, advantages, random, learningRate, losses, gradientNorms);
        }
    }

    /** The critic's Q in return units, [rows, agents], of critic inputs [rows, state + joint action]. */
    private NDArray q(NDManager scratch, Mlp network, NDArray inputs) {
        NDArray predicted = network.forward(inputs.expandDims(0)).squeeze(0);
        return hp.valueNormalization() ? valueNormalizer.denormalize(scratch, predicted) : predicted;
    }

    /**
     * TD(lambda) returns [rows, agents] of the taken actions, bootstrapped by the target critic;
     * they also move the value normaliser.
     */
    private NDArray tdLambdaReturns(NDManager scratch, RolloutBuffer.Contents data, NDArray criticInputs,
                                    SplittableRandom random) {
        float[] taken = q(scratch, targetCritic, criticInputs).toFloatArray();
        NDArray drawn = policy.sample(scratch, policy.mean(scratch, data.nextObservations()), random);
        NDArray nextInputs = NDArrays.concat(new NDList(transform.apply(data.nextStates()),
                jointActions.of(policy.actions(scratch, drawn))), 1);
        float[] next = q(scratch, targetCritic, nextInputs).toFloatArray();
        float[] ended = data.ended().toFloatArray();
        int agents = spec.numAgents();
        int copies = spec.numEnvs();
        for (int row = 0; row + copies < rows; row++) {
            if (ended[row] == 0f) {
                System.arraycopy(taken, (row + copies) * agents, next, row * agents, agents);
            }
        }
        float[] advantages = PolicyGradient.advantages(data.rewards().toFloatArray(), taken, next,
                data.terminated().toFloatArray(), ended, stepsPerRound, copies, hp.gamma(), hp.tdLambda());
        float[] returns = new float[advantages.length];
        for (int i = 0; i < returns.length; i++) {
            returns[i] = advantages[i] + taken[i];
        }
        if (hp.valueNormalization()) {
            valueNormalizer.update(returns);
        }
        return scratch.create(returns, new Shape(rows, agents));
    }

    /** criticEpochs passes of Adam steps on the squared error to the (normalised) returns, the target following each. */
    private void fitCritic(NDManager scratch, NDArray criticInputs, NDArray returns, SplittableRandom random,
                           double learningRate) {
        for (int epoch = 0; epoch < hp.criticEpochs(); epoch++) {
            for (NDArray indices : Minibatches.shuffled(scratch, rows, hp.minibatches(), random)) {
                try (NDManager step = scratch.newSubManager()) {
                    NDIndex batch = new NDIndex("{}", indices);
                    NDArray target = returns.get(batch);
                    if (hp.valueNormalization()) {
                        target = valueNormalizer.normalize(step, target);
                    }
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray predicted = critic.forward(criticInputs.get(batch).expandDims(0)).squeeze(0);
                        collector.backward(predicted.sub(target).square().mean());
                    }
                    GradientClipping.clipGlobal(critic.parameters(), (float) hp.maxGradNorm(), step);
                    criticAdam.update(critic.parameters(), learningRate);
                    Polyak.update(targetCritic.parameters(), critic.parameters(), (float) hp.tau());
                    updates++;
                }
            }
        }
    }

    /** Every agent's counterfactual advantage of every row, [agents, rows], from K fresh samples of each policy. */
    private NDArray counterfactualAdvantages(NDManager scratch, RolloutBuffer.Contents data, NDArray criticInputs,
                                             NDArray returns, SplittableRandom random) {
        int agents = spec.numAgents();
        int samples = hp.counterfactualSamples();
        NDArray mean = policy.mean(scratch, data.observations());
        NDArray repeated = mean.expandDims(1).broadcast(new Shape(agents, samples, rows, mean.getShape().get(2)))
                .reshape(agents, (long) samples * rows, -1);
        NDArray drawn = jointActions.of(policy.actions(scratch, policy.sample(scratch, repeated, random)));
        NDArray actual = data.jointActions().expandDims(0).broadcast(new Shape(samples, rows, jointActions.size()))
                .reshape((long) samples * rows, -1);
        NDArray substituted = jointActions.substituted(scratch, actual, drawn);
        NDArray states = transform.apply(data.states()).expandDims(0)
                .broadcast(new Shape((long) agents * samples, rows, spec.stateSize()))
                .reshape(agents, (long) samples * rows, -1);
        NDArray inputs = NDArrays.concat(new NDList(states, substituted), 2).reshape((long) agents * samples * rows, -1);
        NDArray counterfactual = q(scratch, critic, inputs).reshape(agents, samples, rows, agents);
        NDArray valued = hp.returnAdvantage() ? returns : q(scratch, critic, criticInputs);
        NDArray advantages = counterfactualAdvantages(scratch, valued, counterfactual);
        NDArray constant = advantages.stopGradient(); // a weight of the actors' loss, not a path into the critic
        constant.attach(scratch);
        return constant;
    }

    /**
     * A_i = Q_i(s, a) - mean_k Q_i(s, (a_-i, a_i^k)), [agents, rows].
     *
     * @param taken Q of the taken joint actions, [rows, agents]
     * @param counterfactual [agents i, K, rows, agents]: Q of the joint actions with agent i's replaced by its k-th sample
     */
    static NDArray counterfactualAdvantages(NDManager scratch, NDArray taken, NDArray counterfactual) {
        long agents = counterfactual.getShape().get(0);
        NDArray own = scratch.eye(Math.toIntExact(agents)).reshape(agents, 1, 1, agents);
        NDArray baseline = counterfactual.mul(own).sum(new int[] {3}).mean(new int[] {1});
        return taken.transpose().sub(baseline);
    }

    /** epochs passes of actor steps on the clipped surrogate of the standardised counterfactual advantages. */
    private void trainActors(NDManager scratch, RolloutBuffer.Contents data, NDArray advantages,
                             SplittableRandom random, double learningRate, AgentLosses losses, float[] gradientNorms) {
        for (int epoch = 0; epoch < hp.epochs(); epoch++) {
            for (NDArray indices : Minibatches.shuffled(scratch, rows, hp.minibatches(), random)) {
                try (NDManager step = scratch.newSubManager()) {
                    NDIndex batch = new NDIndex(":, {}", indices);
                    float[] stepLosses;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray mean = policy.mean(step, data.observations().get(batch));
                        NDArray logProbs = policy.logProb(step, mean, data.rawActions().get(batch));
                        NDArray loss = PolicyGradient.entropyBonus(step, policy, hp.entropyCoef(),
                                PolicyGradient.clippedSurrogateLoss(logProbs, data.logProbs().get(batch),
                                        PolicyGradient.standardize(advantages.get(batch)), (float) hp.clipCoef()));
                        collector.backward(loss.sum());
                        stepLosses = loss.toFloatArray();
                    }
                    if (config.parameterSharing()) {
                        policy.sumGradientsAcrossAgents();
                    }
                    float[] norms = GradientClipping.clipPerMember(policy.parameters(), (float) hp.maxGradNorm(), step);
                    System.arraycopy(norms, 0, gradientNorms, 0, norms.length);
                    actorAdam.update(policy.parameters(), learningRate);
                    losses.add(stepLosses);
                }
            }
        }
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
        arrays.addAll(targetCritic.parameters());
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
