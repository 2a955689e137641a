package org.marlopt.client.job;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Median and range of one figure over the seeds of a comparison.
 *
 * @param count how many seeds had the figure
 */
public record Spread(double median, double min, double max, int count) {

    /** The spread of the defined (non-NaN) values, or null when none is. */
    public static Spread of(double... values) {
        double[] defined = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (defined.length == 0) {
            return null;
        }
        int middle = defined.length / 2;
        double median = defined.length % 2 == 1 ? defined[middle] : (defined[middle - 1] + defined[middle]) / 2;
        return new Spread(median, defined[0], defined[defined.length - 1], defined.length);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("median", median);
        json.put("min", min);
        json.put("max", max);
        return json;
    }
}
