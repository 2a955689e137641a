package org.marlopt.client.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/** A point estimate and its confidence interval [low, high]. */
public record Estimate(double value, double low, double high) {

    public Map<String, Double> toJson() {
        Map<String, Double> json = new LinkedHashMap<>();
        json.put("value", value);
        json.put("ci_low", low);
        json.put("ci_high", high);
        return json;
    }
}
