package org.marlopt.client.agent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.marlopt.client.nn.Scalars;
import org.marlopt.client.session.SessionSpec;

/**
 * A Gaussian policy around the team's networks, the actor of MAPPO and COMA: agent i draws a raw
 * action u ~ N(mu_i(o_i), diag(exp(logStd_i))^2), its network's output as the mean and a learned,
 * state-independent log-std per action element. The environment receives squash(u)
 * ({@link TeamActor#squash}: tanh into a bounded Box, u itself where the Box is unbounded), and the
 * deterministic policy that is evaluated and checkpointed is squash(mu), the team alone.
 *
 * <p>Log-probabilities are those of u. The squash is a fixed map between the sample and what the
 * environment receives, so the policy gradient with respect to u is the policy gradient, and no
 * Jacobian correction is needed. Padded action elements (see {@link TeamActor}) count in neither
 * log-probabilities nor entropies.
 */
public final class GaussianPolicy implements AutoCloseable {

    private static final double LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private final AgentTeam team;
    private final TeamActor actor;
    private final NDManager manager;
    private final NDArray logStd;
    private final float[] mask;
    /** Whether any agent's action is shorter than the outputs, so that the mask matters. */
    private final boolean padded;
    private final int agents;
    private final int outputs;

    private GaussianPolicy(NDManager parent, AgentTeam team, TeamActor actor, SessionSpec spec, float[] logStd) {
        this.team = team;
        this.actor = actor;
        this.manager = parent.newSubManager();
        this.agents = spec.numAgents();
        this.outputs = team.outputSize();
        this.mask = new float[agents * outputs];
        boolean anyPadding = false;
        for (int agent = 0; agent < agents; agent++) {
            java.util.Arrays.fill(mask, agent * outputs, agent * outputs + spec.actionSize(agent), 1f);
            anyPadding |= spec.actionSize(agent) < outputs;
        }
        this.padded = anyPadding;
        this.logStd = manager.create(logStd, new Shape(agents, 1, outputs));
        this.logStd.setRequiresGradient(true);
    }

    /**
     * A fresh policy whose std is {@code initialStd} (in raw units: before the tanh of a bounded
     * element, times {@code unboundedActionScale} for an unbounded one).
     */
    public static GaussianPolicy create(NDManager parent, AgentTeam team, TeamActor actor, SessionSpec spec,
                                        double initialStd, double unboundedActionScale) {
        float[] logStd = new float[spec.numAgents() * team.outputSize()];
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            float[] low = spec.agent(agent).actionSpace().low();
            float[] high = spec.agent(agent).actionSpace().high();
            for (int j = 0; j < team.outputSize(); j++) {
                boolean bounded = j < low.length && Float.isFinite(low[j]) && Float.isFinite(high[j]);
                logStd[agent * team.outputSize() + j] =
                        (float) Math.log(initialStd * (bounded ? 1.0 : unboundedActionScale));
            }
        }
        return new GaussianPolicy(parent, team, actor, spec, logStd);
    }

    /** A policy whose log-std is {@code savedLogStd} (from {@link #logStd()}, as a checkpoint stores it). */
    public static GaussianPolicy restore(NDManager parent, AgentTeam team, TeamActor actor, SessionSpec spec,
                                         NDArray savedLogStd) {
        Shape expected = new Shape(spec.numAgents(), 1, team.outputSize());
        if (!savedLogStd.getShape().equals(expected)) {
            throw new IllegalArgumentException("saved log-std has shape " + savedLogStd.getShape() + ", this policy "
                    + expected);
        }
        return new GaussianPolicy(parent, team, actor, spec, savedLogStd.toFloatArray());
    }

    /** The means mu, [agents, rows, outputSize], of padded observations [agents, rows, observationSize], in the team's graph. */
    public NDArray mean(NDManager scratch, NDArray observations) {
        return actor.raw(scratch, observations, team::forward);
    }

    /** Raw actions u = mu + std * N(0, 1), drawn from {@code random}; no gradient flows into them. */
    public NDArray sample(NDManager scratch, NDArray mean, SplittableRandom random) {
        Shape shape = mean.getShape();
        float[] noise = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        NDArray std = logStd.stopGradient();
        std.attach(scratch);
        NDArray detachedMean = mean.stopGradient();
        detachedMean.attach(scratch);
        return detachedMean.add(scratch.create(noise, shape).mul(std.exp()));
    }

    /** log pi_i(u | o), [agents, rows]: summed over each agent's action elements, in the graph of mean and log-std. */
    public NDArray logProb(NDManager scratch, NDArray mean, NDArray raw) {
        NDArray z = raw.sub(mean).div(inScratch(scratch, logStd.exp()));
        NDArray perElement = z.square().mul(Scalars.of(scratch, -0.5f)).sub(logStd).sub((float) LOG_SQRT_TWO_PI);
        return masked(scratch, perElement).sum(new int[] {2});
    }

    /** Each agent's entropy, [agents]: sum over its action elements of logStd + (1 + ln 2 pi) / 2. */
    public NDArray entropy(NDManager scratch) {
        NDArray perElement = inScratch(scratch, logStd.add((float) (0.5 + LOG_SQRT_TWO_PI)));
        return masked(scratch, perElement).sum(new int[] {1, 2});
    }

    /** Per-element values [agents, rows, outputSize] with the padded elements zeroed (as they are when none is). */
    private NDArray masked(NDManager scratch, NDArray perElement) {
        return padded ? perElement.mul(scratch.create(mask, new Shape(agents, 1, outputs))) : perElement;
    }

    /**
     * What one batched step sampled: raw actions [agents, copies, outputSize] and their
     * log-probabilities [agents, copies], flattened.
     */
    public record Sample(float[] raw, float[] logProbs) {
    }

    /**
     * Samples every agent's action in every copy for padded observations [agents, copies,
     * observationSize] (flattened), writes what the environment receives into {@code sent} (see
     * {@link TeamActor#newActionArrays}) and returns the sample; the step's arrays are released.
     */
    public Sample act(NDManager parent, float[] observations, SplittableRandom random, float[][] sent) {
        try (NDManager scratch = parent.newSubManager()) {
            long copies = observations.length / ((long) agents * actor.observationSize());
            NDArray mean = mean(scratch, scratch.create(observations, new Shape(agents, copies,
                    actor.observationSize())));
            NDArray raw = sample(scratch, mean, random);
            actor.split(actions(scratch, raw), sent);
            return new Sample(raw.toFloatArray(), logProb(scratch, mean, raw).toFloatArray());
        }
    }

    /**
     * {@code computed}, an array computed from the log-std, moved to {@code scratch}: DJL attaches
     * a result to its first operand's manager, and the log-std's own lives as long as the policy.
     */
    private static NDArray inScratch(NDManager scratch, NDArray computed) {
        computed.attach(scratch);
        return computed;
    }

    /** What the environment receives for raw actions u: squash(u). */
    public NDArray actions(NDManager scratch, NDArray raw) {
        return actor.squash(scratch, raw);
    }

    /** The trainable arrays: the team's (w0, b0, ..., b2), then the log-std [agents, 1, outputSize]. */
    public NDList parameters() {
        NDList parameters = new NDList(team.parameters());
        parameters.add(logStd);
        return parameters;
    }

    /** The log-std, [agents, 1, outputSize] (owned by this policy). */
    public NDArray logStd() {
        return logStd;
    }

    /** Under parameter sharing, the log-std is shared too: sums its gradient over agents, like the team's. */
    public void sumGradientsAcrossAgents() {
        team.sumGradientsAcrossAgents();
        try (NDArray gradient = logStd.getGradient(); NDArray sum = gradient.sum(new int[] {0}, true)) {
            gradient.muli(0f).addi(sum);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
