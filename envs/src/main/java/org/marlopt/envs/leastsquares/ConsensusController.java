package org.marlopt.envs.leastsquares;

import java.util.Arrays;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.Part;
import org.marlopt.env.policy.AgentController;

/**
 * What DGD, EXTRA and gradient tracking share as agent i's controller: reading its estimate x_i
 * and local gradient g_i, hearing its neighbours, pacing the iterations to the channel's delay,
 * then moving to the next iterate and sending it. A subclass writes only its iteration.
 *
 * <p>Iteration k + 1 acts on the observation after iteration k and moves the agent to x_i^{k+1},
 * which the message carries (so one iteration takes one env step without delay). Iteration 0, at
 * the start of an episode, is a handshake: the agent stays at x^0 and sends it. With a message
 * delay an iteration takes message_delay + 1 env steps, the agent staying put and repeating its
 * message meanwhile, so after env step s the estimates are the textbook
 * x^{floor(s / (message_delay + 1))}.
 */
abstract class ConsensusController implements AgentController {

    protected final int dim;
    protected final NeighbourConsensus neighbours;
    /** x_i^k and g_i^k = grad f_i(x_i^k), as observed. */
    protected final double[] x;
    protected final double[] gradient;
    /** Scratch for (W v)_i. */
    protected final double[] mixed;
    /** x_i^{k+1}: what {@link #iterate} computes. */
    protected final double[] next;
    private final int roundLength;
    /** Where x_i, then g_i, start in the agent's view. */
    private final int ownStart;
    private final int messageStart;
    private final int messageUsed;
    /** Env steps taken in this episode. */
    private int step;

    /** @param vectorsPerMessage dim-long vectors the message carries: x, then whatever {@link #writeMessageTail} adds */
    ConsensusController(EnvSpec spec, int agent, int vectorsPerMessage) {
        this.dim = LeastSquaresPolicy.dim(spec);
        this.roundLength = LeastSquaresPolicy.roundLength(spec);
        this.ownStart = spec.sharedObservationSpace().size()
                + spec.agents().get(agent).observationPart(Part.OWN).offset();
        this.messageStart = spec.agents().get(agent).actionPart(Part.MESSAGE).offset();
        this.messageUsed = vectorsPerMessage * dim;
        this.neighbours = new NeighbourConsensus(spec, agent, messageUsed);
        this.x = new double[dim];
        this.gradient = new double[dim];
        this.mixed = new double[dim];
        this.next = new double[dim];
    }

    @Override
    public final void act(float[] view, boolean episodeStart, float[] action) {
        if (episodeStart) {
            step = 0;
            neighbours.startEpisode();
        }
        LeastSquaresPolicy.read(view, ownStart, x);
        LeastSquaresPolicy.read(view, ownStart + dim, gradient);
        neighbours.listen(view);
        // between iterations the neighbours' messages are in flight: stay, repeat the message
        boolean iterates = step % roundLength == 0;
        if (iterates) {
            if (step == 0) {
                System.arraycopy(x, 0, next, 0, dim); // the handshake stays at x^0
            }
            iterate(step / roundLength);
        }
        step++;
        for (int i = 0; i < dim; i++) {
            action[i] = iterates ? (float) (next[i] - x[i]) : 0f;
        }
        LeastSquaresPolicy.write(next, action, messageStart);
        writeMessageTail(action, messageStart + dim);
        Arrays.fill(action, messageStart + messageUsed, action.length, 0f);
    }

    /**
     * Iteration {@code iteration} = k + 1: from x^k (in {@link #x}) to x^{k+1} (into {@link #next}).
     * Iteration 0 is the handshake: {@link #next} already holds x^0 and the agent stays there.
     */
    protected abstract void iterate(int iteration);

    /** Writes what the message carries after x (gradient tracking: its tracker); nothing by default. */
    protected void writeMessageTail(float[] action, int start) {
    }
}
