package org.marlopt.env.vector;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.marlopt.env.EnvSpec;

/**
 * The dynamics of every copy of an environment at once, over the batch's flat arrays. An
 * environment is written as one {@link EnvCopy} per copy, and {@link #ofCopies} steps those in
 * turn; an environment whose step is a few arithmetic operations may also offer its own batch
 * ({@link org.marlopt.env.ConfiguredEnv#newBatch}), one loop over flat arrays, because there a
 * call and a {@link CopyOutput} write per copy and value cost more than the step itself. Either
 * way the {@link BatchedVectorEnv} around it does seeding, validation and clipping of actions,
 * step counting and truncation, autoreset, final observations and the message channel.
 *
 * <p>A batch must give exactly the results its environment's copies give, bit for bit, and must
 * not allocate in {@link #step}.
 */
public interface EnvBatch {

    /**
     * Starts the episode of {@code copy}, as {@link EnvCopy#reset} does, and writes its
     * observation, as {@link EnvCopy#observe} does. Touches only that copy's rows.
     */
    void reset(int copy, SplittableRandom random, Map<String, Object> options, BatchOutput out);

    /**
     * One transition of copies {@code from} to {@code to - 1}, as {@link EnvCopy#step} then
     * {@link EnvCopy#observe} do for each: writes its rewards, info values, whether it
     * terminated, the reward gradient (when {@link BatchOutput#wantsRewardGradient()}) and its
     * observation after the step. Their rewards, gradients and flags are 0 / false on entry.
     * Usually the range is every copy; under NEXT_STEP autoreset the copies being reset instead
     * sit out, and each run of stepping copies between them is a call.
     *
     * @param actions per agent, every copy's environment action (without the message),
     *     copy-major, finite and clipped into the action space; read during the call only, never modified
     */
    void step(float[][] actions, int from, int to, BatchOutput out);

    /** The batch of an environment written per copy: {@code numEnvs} copies from {@code copies}, stepped in turn. */
    static EnvBatch ofCopies(EnvSpec spec, int numEnvs, Supplier<EnvCopy> copies) {
        return new CopyLoop(spec, numEnvs, copies);
    }
}
