package org.marlopt.env;

/**
 * How the copies of a {@link VectorEnv} start a new episode once one ends, as in Gymnasium's
 * vector API ({@code gymnasium.vector.AutoresetMode}).
 */
public enum AutoresetMode {
    /** A step while any copy's episode has ended fails until {@link VectorEnv#reset} is called. */
    DISABLED,
    /**
     * A copy whose episode ends is reset inside the same step: the step reports the ending
     * transition's reward and flags, the new episode's first observation, and the ended state in
     * {@link Transition#finalState()}.
     */
    SAME_STEP,
    /**
     * A copy whose episode ends is reset by the next step, which ignores that copy's actions,
     * reports reward 0 and flags it in {@link Transition#autoreset()}.
     */
    NEXT_STEP
}
