package org.marlopt.client.session;

import java.util.Map;

/**
 * What to make a session of.
 *
 * @param envId registry id, e.g. "ResourceShare-v1"
 * @param params parameter name -> value as text ("8", "ring", "1,2,3"); omitted ones take their defaults
 * @param numEnvs copies stepped together
 * @param rewardGradient whether every step returns d reward / d action
 */
public record SessionRequest(String envId, Map<String, String> params, int numEnvs, boolean rewardGradient) {

    public SessionRequest {
        params = Map.copyOf(params);
    }
}
