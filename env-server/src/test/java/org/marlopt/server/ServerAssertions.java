package org.marlopt.server;

import java.util.List;

/** Conversions for comparing proto arrays with the environment's. */
final class ServerAssertions {

    private ServerAssertions() {}

    static float[] floats(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
