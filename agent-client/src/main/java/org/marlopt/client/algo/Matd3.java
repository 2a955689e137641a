package org.marlopt.client.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.agent.TeamActor;
import org.marlopt.client.buffer.ReplayBuffer;
import org.marlopt.client.eval.FirstEpisodeTracker;
import org.marlopt.client.nn.Mlp;
import org.marlopt.client.nn.Polyak;
import org.marlopt.client.nn.Scalars;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.StackedAdam;
import org.marlopt.client.train.TrainConfig;

/**
 * {@code matd3}: multi-agent TD3 (MADDPG with TD3's three fixes), model-free: it needs no reward
 * gradient. Laid out like CleanRL's td3_continuous_action.py: hyperparameters first, then the loop.
 *
 * <p>Actors: the agents' deterministic networks ({@link AgentTeam}, bounded actions squashed into
 * their Box by {@link TeamActor}), each acting on its own observation. Critics: twin centralised
 * critics Q1, Q2 on (global state, joint action), one output per agent (agents may earn different
 * rewards), stacked in one {@link Mlp}. Targets: copies of actors and critics, Polyak-averaged
 * with {@code tau} after every actor update.
 *
 * <p>Per batched step: every copy acts (uniformly at random in the Box for the first
 * {@code learningStarts} env steps, then the actors plus Gaussian noise whose scale decays
 * linearly over the run), the transitions go to the {@link ReplayBuffer}, and once learning has
 * started one update follows: the critics regress on
 * y = r + gamma (1 - terminated) min(Q1', Q2')(s', a'), s' being the state the copy's episode
 * ended in where it ended (truncation is not termination), a' the target actors' actions plus
 * clipped Gaussian noise (target policy smoothing); every {@code policyDelay} updates each agent i
 * ascends Q1_i(s, a_-i from the buffer, mu_i(o_i)) (MADDPG's per-agent substitution), and the
 * targets follow.
 *
 * <p>Noise is in action units: per action element its scale is the Box's half-range where the Box
 * is bounded, {@code unboundedActionScale} where it is not (the seed's actions, messages).
 * Random numbers come from one stream per round derived from the seed, so a resumed run draws
 * exactly what a straight one would.
 *
 * <p>State ({@link #state()}), in this order: critic parameters, critic Adam moments, target
 * critic, target actor, actor Adam moments, replay buffer ({@link ReplayBuffer#save}); the step
 * is the critic update count (the actors have taken step / policyDelay).
 */
public final class Matd3 implements Algorithm {

    public static final String NAME = "matd3";

    /**
     * MATD3's own settings (the learning rate, its schedule, Adam's betas, hidden size of the
     * actors, seed and observation transform come from {@link TrainConfig}).
     *
     * @param bufferSize transitions the replay buffer holds
     * @param gamma discount
     * @param tau target network smoothing coefficient
     * @param batchSize transitions per update
     * @param explorationNoise std of the exploration noise at the start, in action units
     * @param finalExplorationNoise its std at the end of the run (linear decay over env steps)
     * @param learningStarts env steps of uniformly random actions before learning
     * @param policyDelay critic updates per actor (and target) update
     * @param policyNoise std of the target policy smoothing noise, in action units
     * @param noiseClip the smoothing noise is clipped to +-noiseClip, in action units
     * @param unboundedActionScale action unit of an element whose Box is unbounded
     * @param criticHiddenSize width of both hidden layers of the critics
     * @param updatesPerStep critic updates after each batched step once learning has started (the
     *     update-to-data ratio is this over numEnvs)
     */
    public record Hyperparameters(int bufferSize, double gamma, double tau, int batchSize, double explorationNoise,
                                  double finalExplorationNoise, long learningStarts, int policyDelay,
                                  double policyNoise, double noiseClip, double unboundedActionScale,
                                  int criticHiddenSize, int updatesPerStep) {

        public Hyperparameters {
            Checks.positive("bufferSize", bufferSize);
            Checks.unitInterval("gamma", gamma);
            Checks.unitInterval("tau", tau);
            Checks.positive("batchSize", batchSize);
            Checks.notNegative("explorationNoise", explorationNoise);
            Checks.notNegative("finalExplorationNoise", finalExplorationNoise);
            Checks.notNegative("learningStarts", learningStarts);
            Checks.positive("policyDelay", policyDelay);
            Checks.notNegative("policyNoise", policyNoise);
            Checks.notNegative("noiseClip", noiseClip);
            Checks.positive("unboundedActionScale", unboundedActionScale);
            Checks.positive("criticHiddenSize", criticHiddenSize);
            Checks.positive("updatesPerStep", updatesPerStep);
        }

        /** CleanRL's defaults, with a smaller buffer and start (these runs are short) and a decaying noise. */
        public static Hyperparameters defaults() {
            return new Hyperparameters(100_000, 0.99, 0.005, 256, 0.1, 0.01, 5_000, 2, 0.2, 0.5, 1.0, 256, 1);
        }
    }

    /** The replay buffer's minibatch as arrays of one update's scratch manager. */
    private record Minibatch(NDArray observations, NDArray actions, NDArray rewards, NDArray states,
                             NDArray terminated, NDArray nextStates, NDArray nextObservations) {
    }

    private static final int CRITIC_LAYERS = 3;
    private static final int TWINS = 2;

    private final TrainConfig config;
    private final Hyperparameters hp;
    private final EnvSession env;
    private final SessionSpec spec;
    private final NDManager manager;
    private final NDManager owned;
    private final ObservationTransform transform;
    private final AgentTeam team;
    private final TeamActor actor;
    private final Mlp targetActor;
    private final Mlp critic;
    private final Mlp targetCritic;
    private final StackedAdam actorAdam;
    private final StackedAdam criticAdam;
    private final ReplayBuffer buffer;
    private final ReplayBuffer.Batch batch;
    private final JointActions jointActions;
    private final FirstEpisodeTracker tracker;
    private final float[][] actions;
    private final float[] low;
    private final float[] high;
    private final float[] center;
    private final float[] scale;
    private final int stepsPerRound;
    private long envSteps;
    private long updates;
    private NDManager savedBuffer;

    /** MATD3 with {@link Hyperparameters#defaults()} under the run's {@code algo.} settings. */
    public Matd3(Setup setup) {
        this(setup, AlgoSettings.bind(NAME, Hyperparameters.defaults(), setup.config().algoParams()));
    }

    /** Builds (or restores from {@code setup.resumed()}) actors, critics, targets, optimizers and buffer. */
    public Matd3(Setup setup, Hyperparameters hp) {
        this.config = setup.config();
        this.hp = hp;
        this.env = setup.env();
        this.spec = env.spec();
        this.manager = setup.manager();
        this.owned = manager.newSubManager();
        this.envSteps = setup.envSteps();
        this.transform = ObservationTransform.of(config.observationTransform());
        this.stepsPerRound = config.stepsPerRound(spec.maxEpisodeSteps());
        this.tracker = new FirstEpisodeTracker(spec);
        this.buffer = new ReplayBuffer(spec, hp.bufferSize());
        this.batch = buffer.newBatch(hp.batchSize());
        this.jointActions = new JointActions(spec);
        int outputs = spec.maxActionSize();
        this.low = new float[spec.numAgents() * outputs];
        this.high = new float[low.length];
        this.center = new float[low.length];
        this.scale = new float[low.length];
        actionUnits(outputs);
        try {
            this.team = AgentTeam.fromModels(owned, setup.models());
            this.actor = new TeamActor(team, spec, transform);
            this.actions = actor.newActionArrays();
            List<NDList> resumed = setup.resumed() == null ? null : groups(setup.resumed().arrays());
            this.updates = setup.resumed() == null ? 0 : setup.resumed().step();
            this.critic = resumed == null ? newCritic() : Mlp.copyOf(owned, resumed.get(0), true);
            this.criticAdam = resumed == null ? StackedAdam.create(owned, critic.parameters(), config)
                    : StackedAdam.restore(owned, resumed.get(1), updates, critic.parameters(), config);
            this.targetCritic = Mlp.copyOf(owned, resumed == null ? critic.parameters() : resumed.get(2), false);
            this.targetActor = Mlp.copyOf(owned, resumed == null ? team.parameters() : resumed.get(3), false);
            this.actorAdam = resumed == null ? StackedAdam.create(owned, team.parameters(), config)
                    : StackedAdam.restore(owned, resumed.get(4), updates / hp.policyDelay(), team.parameters(), config);
            if (resumed != null) {
                buffer.restore(resumed.get(5));
            }
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** Per padded action element: its Box, and the centre and unit of random actions and noise. */
    private void actionUnits(int outputs) {
        Arrays.fill(low, Float.NEGATIVE_INFINITY);
        Arrays.fill(high, Float.POSITIVE_INFINITY);
        Arrays.fill(scale, (float) hp.unboundedActionScale());
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            float[] boxLow = spec.agent(agent).actionSpace().low();
            float[] boxHigh = spec.agent(agent).actionSpace().high();
            for (int j = 0; j < boxLow.length; j++) {
                int element = agent * outputs + j;
                low[element] = boxLow[j];
                high[element] = boxHigh[j];
                if (Float.isFinite(boxLow[j]) && Float.isFinite(boxHigh[j])) {
                    center[element] = (boxHigh[j] + boxLow[j]) / 2;
                    scale[element] = (boxHigh[j] - boxLow[j]) / 2;
                }
            }
        }
    }

    /** Twin critics (state ++ joint action) -> hidden -> hidden -> one Q per agent, drawn from the stream before round 0's. */
    private Mlp newCritic() {
        int inputs = spec.stateSize() + buffer.actionOffset(spec.numAgents());
        int hidden = hp.criticHiddenSize();
        return Mlp.create(owned, TWINS, new int[] {inputs, hidden, hidden, spec.numAgents()},
                Rounds.random(config, -1));
    }

    /** The state's groups, in {@link #state()}'s order. */
    private List<NDList> groups(NDList arrays) {
        int criticArrays = 2 * CRITIC_LAYERS;
        int actorArrays = 2 * AgentNetwork.LAYERS;
        int networksAndMoments = 4 * criticArrays + 3 * actorArrays;
        int[] sizes = {criticArrays, 2 * criticArrays, criticArrays, actorArrays, 2 * actorArrays,
                arrays.size() - networksAndMoments};
        List<NDList> groups = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            groups.add(arrays.subNDList(from, from + size));
            from += size;
        }
        return groups;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Resets every copy with its round's seed, then takes the round's batched steps, learning after each. */
    @Override
    public EpisodeRecord trainRound(int round) {
        SplittableRandom random = Rounds.random(config, round);
        double learningRate = config.learningRateAt(round);
        AgentLosses actorLosses = new AgentLosses(spec.numAgents());
        float[] gradientNorms = new float[spec.numAgents()];
        env.reset(config.trainingSeed(round));
        tracker.start();
        for (int step = 0; step < stepsPerRound; step++) {
            buffer.observe(env);
            chooseActions(random);
            env.step(actions);
            tracker.record(env);
            buffer.add(env, actions);
            envSteps += spec.numEnvs();
            for (int update = 0; envSteps >= hp.learningStarts() && update < hp.updatesPerStep(); update++) {
                update(random, learningRate, actorLosses, gradientNorms);
            }
        }
        return Rounds.report(round, spec, tracker, actorLosses.means(), gradientNorms, learningRate, stepsPerRound, envSteps);
    }

    /**
     * One critic update on a sampled minibatch and, every policyDelay updates, one actor update
     * (adding each agent's loss to {@code actorLosses}) followed by the targets'. ({@link UpdateBenchmark}
     * times it on its own.)
     */
    void update(SplittableRandom random, double learningRate, AgentLosses actorLosses, float[] gradientNorms) {
        try (NDManager scratch = manager.newSubManager()) {
            buffer.sample(random, batch);
            Minibatch minibatch = minibatch(scratch);
            trainCritics(scratch, minibatch, random, learningRate);
            if (updates % hp.policyDelay() != 0) {
                return;
            }
            actorLosses.add(trainActors(scratch, minibatch, learningRate, gradientNorms));
            Polyak.update(targetActor.parameters(), team.parameters(), (float) hp.tau());
            Polyak.update(targetCritic.parameters(), critic.parameters(), (float) hp.tau());
        }
    }

    /** Uniform in the Box before learning starts, then the actors' actions plus decaying Gaussian noise, in the Box. */
    private void chooseActions(SplittableRandom random) {
        boolean explore = envSteps < hp.learningStarts();
        float[] padded = explore ? null : actorActions();
        double sigma = explorationNoise();
        int outputs = spec.maxActionSize();
        int copies = spec.numEnvs();
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            int actionSize = spec.actionSize(agent);
            for (int copy = 0; copy < copies; copy++) {
                for (int j = 0; j < actionSize; j++) {
                    int element = agent * outputs + j;
                    double value = explore
                            ? center[element] + scale[element] * random.nextDouble(-1, 1)
                            : padded[(agent * copies + copy) * outputs + j] + sigma * scale[element] * random.nextGaussian();
                    actions[agent][copy * actionSize + j] = (float) Math.max(low[element], Math.min(high[element], value));
                }
            }
        }
    }

    private float[] actorActions() {
        try (NDManager scratch = manager.newSubManager()) {
            return actor.act(scratch, env).toFloatArray();
        }
    }

    /** The exploration noise's std now: linear from explorationNoise to finalExplorationNoise over the run's env steps. */
    private double explorationNoise() {
        double total = (double) config.episodes() * stepsPerRound * spec.numEnvs();
        double progress = Math.min(1.0, envSteps / total);
        return hp.explorationNoise() + (hp.finalExplorationNoise() - hp.explorationNoise()) * progress;
    }

    private Minibatch minibatch(NDManager scratch) {
        int rows = batch.size();
        int agents = spec.numAgents();
        Shape observationShape = new Shape(agents, rows, spec.maxObservationSize());
        Shape stateShape = new Shape(rows, spec.stateSize());
        return new Minibatch(scratch.create(batch.observations(), observationShape),
                scratch.create(batch.actions(), new Shape(rows, buffer.actionOffset(agents))),
                scratch.create(batch.rewards(), new Shape(rows, agents)),
                transform.apply(scratch.create(batch.states(), stateShape)),
                scratch.create(batch.terminated(), new Shape(rows)),
                transform.apply(scratch.create(batch.nextStates(), stateShape)),
                scratch.create(batch.nextObservations(), observationShape));
    }

    /** One Adam step of both critics towards y (outside the graph). */
    private void trainCritics(NDManager scratch, Minibatch minibatch, SplittableRandom random, double learningRate) {
        NDArray nextActions = smoothedTargetActions(scratch, minibatch.nextObservations(), random);
        NDArray nextQ = targetCritic.forward(criticInput(minibatch.nextStates(), jointActions.of(nextActions)));
        NDArray y = criticTarget(minibatch.rewards(), minibatch.terminated(), nextQ, (float) hp.gamma());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray q = critic.forward(criticInput(minibatch.states(), minibatch.actions()));
            // the sum of both twins' mean squared errors (equal sizes: twice the mean over both)
            collector.backward(q.sub(y.expandDims(0)).square().mean().mul(Scalars.of(scratch, TWINS)));
        }
        criticAdam.update(critic.parameters(), learningRate);
        updates++;
    }

    /**
     * The critics' regression target, [rows, agents]: y = r + gamma (1 - terminated) min(Q1', Q2').
     *
     * @param rewards [rows, agents]
     * @param terminated [rows], 1 where the episode terminated (not where it was truncated)
     * @param nextQ [2, rows, agents], the target critics at the next (final, where the episode ended) state
     */
    static NDArray criticTarget(NDArray rewards, NDArray terminated, NDArray nextQ, float gamma) {
        NDArray continuing = terminated.neg().add(1f).expandDims(1);
        return rewards.add(nextQ.get(0).minimum(nextQ.get(1)).mul(continuing).mul(gamma));
    }

    /** Target actors' actions plus Gaussian noise clipped to +-noiseClip (action units), then clipped to the Box. */
    private NDArray smoothedTargetActions(NDManager scratch, NDArray nextObservations, SplittableRandom random) {
        int agents = spec.numAgents();
        int rows = batch.size();
        int outputs = spec.maxActionSize();
        Shape elements = new Shape(agents, 1, outputs);
        float[] noise = new float[agents * rows * outputs];
        for (int i = 0; i < noise.length; i++) {
            int element = (i / (rows * outputs)) * outputs + i % outputs;
            double bound = hp.noiseClip() * scale[element];
            noise[i] = (float) Math.max(-bound, Math.min(bound, hp.policyNoise() * scale[element] * random.nextGaussian()));
        }
        NDArray actions = actor.policy(scratch, nextObservations, targetActor::forward);
        return actions.add(scratch.create(noise, new Shape(agents, rows, outputs)))
                .maximum(scratch.create(low, elements)).minimum(scratch.create(high, elements));
    }

    /**
     * One Adam step of every actor on -Q1_i(s, a_-i, mu_i(o_i)); returns each agent's loss and
     * writes the L2 norms of its gradients into {@code gradientNorms}.
     */
    private float[] trainActors(NDManager scratch, Minibatch minibatch, double learningRate, float[] gradientNorms) {
        int agents = spec.numAgents();
        int rows = batch.size();
        float[] losses;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray policyActions = jointActions.of(actor.policy(scratch, minibatch.observations(), team::forward));
            NDArray substituted = jointActions.substituted(scratch, minibatch.actions(), policyActions);
            NDArray states = minibatch.states().expandDims(0).broadcast(new Shape(agents, rows, spec.stateSize()));
            NDArray inputs = NDArrays.concat(new NDList(states, substituted), 2).reshape(1, (long) agents * rows, -1);
            NDArray q1 = critic.forwardFrozen(scratch, inputs, 0).reshape(agents, rows, agents);
            NDArray ownQ = q1.mul(scratch.eye(agents).expandDims(1)).sum(new int[] {2});
            NDArray lossPerAgent = ownQ.mean(new int[] {1}).neg();
            collector.backward(lossPerAgent.sum());
            losses = lossPerAgent.toFloatArray();
        }
        System.arraycopy(team.gradientNorms(scratch), 0, gradientNorms, 0, agents);
        if (config.parameterSharing()) {
            team.sumGradientsAcrossAgents();
        }
        actorAdam.update(team.parameters(), learningRate);
        return losses;
    }

    /** [1, rows, stateSize + jointActionSize]: what the stacked critics take, shared by both. */
    private static NDArray criticInput(NDArray states, NDArray jointActions) {
        return NDArrays.concat(new NDList(states, jointActions), 1).expandDims(0);
    }

    @Override
    public AgentTeam agents() {
        return team;
    }

    /** See the class comment for the order; the buffer's arrays live until the next call or {@link #close}. */
    @Override
    public State state() {
        if (savedBuffer != null) {
            savedBuffer.close();
        }
        savedBuffer = owned.newSubManager();
        NDList arrays = new NDList();
        arrays.addAll(critic.parameters());
        arrays.addAll(criticAdam.state());
        arrays.addAll(targetCritic.parameters());
        arrays.addAll(targetActor.parameters());
        arrays.addAll(actorAdam.state());
        arrays.addAll(buffer.save(savedBuffer));
        return new State(arrays, updates);
    }

    @Override
    public void close() {
        owned.close();
    }
}
