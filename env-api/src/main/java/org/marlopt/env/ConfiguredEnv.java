package org.marlopt.env;

import java.util.Map;
import org.marlopt.env.vector.EnvCopy;

/** An environment with its parameters fixed: one copy's spec, and a factory of copies. */
public interface ConfiguredEnv {

    EnvSpec spec();

    /** A new copy; it holds no episode until its first reset. */
    EnvCopy newCopy();

    /**
     * Checks reset options (Gymnasium's {@code options}) before any copy is reset, so a bad option
     * changes nothing. The default accepts none.
     *
     * @param options numbers, strings, booleans, lists and maps, as a JSON object decodes
     * @throws EnvArgumentException naming {@code options.<key>}
     */
    default void checkResetOptions(Map<String, Object> options, int numEnvs) {
        for (String key : options.keySet()) {
            throw new EnvArgumentException("options." + key, "unknown reset option '" + key + "'; "
                    + spec().envId() + " takes no reset options");
        }
    }
}
