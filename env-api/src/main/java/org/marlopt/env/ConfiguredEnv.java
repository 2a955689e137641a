package org.marlopt.env;

import java.util.Map;
import java.util.function.Supplier;
import org.marlopt.env.vector.EnvBatch;
import org.marlopt.env.vector.EnvCopy;

/** An environment with its parameters fixed: one copy's spec, and a factory of copies. */
public interface ConfiguredEnv {

    EnvSpec spec();

    /** A new copy; it holds no episode until its first reset. */
    EnvCopy newCopy();

    /**
     * The dynamics of {@code numEnvs} copies, which a {@link org.marlopt.env.vector.BatchedVectorEnv}
     * steps. The default calls {@link #newCopy()}'s copies one by one; an environment whose step
     * is cheap enough that calls per copy dominate overrides it with its own {@link EnvBatch},
     * which must give exactly what its copies give.
     */
    default EnvBatch newBatch(int numEnvs) {
        return EnvBatch.ofCopies(spec(), numEnvs, this::newCopy);
    }

    /**
     * Checks reset options (Gymnasium's {@code options}) before any copy is reset, so a bad option
     * changes nothing. A key the environment does not take is ignored, as Gymnasium environments do:
     * generic tools pass options of their own (PettingZoo's API test resets with {@code {"options": 1}}).
     * A key it takes with a malformed value is rejected. The default takes no options.
     *
     * @param options numbers, strings, booleans, lists and maps, as a JSON object decodes
     * @throws EnvArgumentException naming {@code options.<key>}
     */
    default void checkResetOptions(Map<String, Object> options, int numEnvs) {
    }

    /**
     * An upper estimate of the heap one copy holds once reset (its fields, arrays and whatever
     * it simulates), which a server uses to price a session before making any copy. The default,
     * {@link #defaultCopyFootprintBytes}, suits a copy that keeps a few double arrays the size of
     * its state, observations and actions; an environment whose copies hold more (matrices, event
     * queues, per-job records) says so with {@link #withCopyFootprint}.
     */
    default long copyFootprintBytes() {
        return defaultCopyFootprintBytes(spec());
    }

    /**
     * 1 KiB of object headers and scalar fields plus 4 doubles per value of the state, the shared
     * observation and every agent's own observation and environment action.
     */
    static long defaultCopyFootprintBytes(EnvSpec spec) {
        long values = (long) spec.stateSpace().size() + spec.sharedObservationSpace().size();
        for (AgentSpec agent : spec.agents()) {
            values += agent.observationSpace().size() + agent.envActionSize();
        }
        return 1024 + 4 * Double.BYTES * values;
    }

    /** This environment with {@link #copyFootprintBytes()} replaced by {@code bytes}. */
    default ConfiguredEnv withCopyFootprint(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a copy's footprint must be positive, got " + bytes);
        }
        ConfiguredEnv inner = this;
        return new ConfiguredEnv() {
            @Override
            public EnvSpec spec() {
                return inner.spec();
            }

            @Override
            public EnvCopy newCopy() {
                return inner.newCopy();
            }

            @Override
            public EnvBatch newBatch(int numEnvs) {
                return inner.newBatch(numEnvs);
            }

            @Override
            public void checkResetOptions(Map<String, Object> options, int numEnvs) {
                inner.checkResetOptions(options, numEnvs);
            }

            @Override
            public long copyFootprintBytes() {
                return bytes;
            }
        };
    }

    /** Checks reset options as {@link #checkResetOptions} does. */
    @FunctionalInterface
    interface ResetOptionsCheck {
        void check(Map<String, Object> options, int numEnvs);
    }

    /** An environment whose copies come from {@code copies} and that takes no reset options. */
    static ConfiguredEnv of(EnvSpec spec, Supplier<EnvCopy> copies) {
        return of(spec, copies, null);
    }

    /** An environment whose copies come from {@code copies}, its reset options checked by {@code optionsCheck}. */
    static ConfiguredEnv of(EnvSpec spec, Supplier<EnvCopy> copies, ResetOptionsCheck optionsCheck) {
        return new ConfiguredEnv() {
            @Override
            public EnvSpec spec() {
                return spec;
            }

            @Override
            public EnvCopy newCopy() {
                return copies.get();
            }

            @Override
            public void checkResetOptions(Map<String, Object> options, int numEnvs) {
                if (optionsCheck != null) {
                    optionsCheck.check(options, numEnvs);
                }
            }
        };
    }
}
