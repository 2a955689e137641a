package org.marlopt.client.agent;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the networks see of an observation. Environments report values on scales the client
 * cannot know in advance (a queue's marginal cost near its capacity floor is -1e5), and raw
 * inputs that large saturate every tanh-squashed action, whose gradient then vanishes.
 * {@link #SYMLOG} (as in DreamerV3) compresses them while keeping sign, order and zero: it has no
 * state, so checkpoints and resumption are unaffected.
 */
public enum ObservationTransform {

    /** The observation as it is. */
    NONE {
        @Override
        public NDArray apply(NDArray observations) {
            return observations;
        }
    },

    /** sign(x) * log(1 + |x|): about x near 0, logarithmic beyond. */
    SYMLOG {
        @Override
        public NDArray apply(NDArray observations) {
            return observations.sign().mul(observations.abs().add(1f).log());
        }
    };

    /** What the networks see of {@code observations} (any shape; 0 stays 0). */
    public abstract NDArray apply(NDArray observations);

    /** The name settings use: "none" or "symlog". */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the transforms there are */
    public static ObservationTransform of(String name) {
        for (ObservationTransform transform : values()) {
            if (transform.settingName().equals(name)) {
                return transform;
            }
        }
        throw new IllegalArgumentException("observationTransform must be one of "
                + Arrays.stream(values()).map(ObservationTransform::settingName).toList() + ", got '" + name + "'");
    }
}
