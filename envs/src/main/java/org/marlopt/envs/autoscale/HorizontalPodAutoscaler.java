package org.marlopt.envs.autoscale;

import java.util.Arrays;
import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.Part;
import org.marlopt.env.policy.AgentController;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * The Kubernetes Horizontal Pod Autoscaler on CPU, one per service, each seeing only its own
 * service's observation ({@link HpaRule}). It sends no messages (zeros).
 */
public final class HorizontalPodAutoscaler implements PolicyDefinition {

    public static final String NAME = "hpa";

    private static final String TARGET = "target_utilization";
    private static final String TOLERANCE = "tolerance";
    private static final String WINDOW = "stabilization_window";

    /**
     * @param targetUtilization the CPU target as a fraction of the request: 0.8, the 80% the
     *     autoscaling/v1 API applies when none is given (kubectl autoscale without --cpu-percent)
     * @param tolerance the controller's --horizontal-pod-autoscaler-tolerance, default 0.1
     * @param stabilizationWindow the scale-down stabilisation window in seconds, default 300
     */
    public record Settings(double targetUtilization, double tolerance, double stabilizationWindow) {
        public static final Settings DEFAULTS = new Settings(HpaRule.DEFAULT_TARGET_UTILIZATION,
                HpaRule.DEFAULT_TOLERANCE, HpaRule.DEFAULT_STABILIZATION_SECONDS);

        static Settings of(Map<String, Double> given) {
            for (String name : given.keySet()) {
                if (!name.equals(TARGET) && !name.equals(TOLERANCE) && !name.equals(WINDOW)) {
                    throw new IllegalArgumentException("unknown setting '" + name + "' for " + NAME + "; its "
                            + "settings are " + TARGET + ", " + TOLERANCE + " and " + WINDOW);
                }
            }
            return new Settings(positive(given, TARGET, DEFAULTS.targetUtilization()),
                    positive(given, TOLERANCE, DEFAULTS.tolerance()), positive(given, WINDOW,
                    DEFAULTS.stabilizationWindow()));
        }

        private static double positive(Map<String, Double> given, String name, double fallback) {
            Double value = given.getOrDefault(name, fallback);
            if (value == null || !(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(NAME + " setting " + name + " must be a finite number > 0, got "
                        + value + "; omit it for the default " + fallback);
            }
            return value;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Kubernetes Horizontal Pod Autoscaler on CPU per service (pkg/controller/podautoscaler): desired = "
                + "ceil(ready x utilisation / target) outside the tolerance, scale-down stabilisation window, "
                + "scale-up at most max(2x, +4) per 15 s; settings target_utilization (0.8), tolerance (0.1), "
                + "stabilization_window (300 s).";
    }

    @Override
    public boolean supports(EnvSpec spec) {
        return spec.envId().equals(MicroserviceAutoscale.ID);
    }

    @Override
    public TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        if (!supports(spec)) {
            throw new IllegalArgumentException(NAME + " drives " + MicroserviceAutoscale.ID + " only, not "
                    + spec.envId());
        }
        Settings chosen = Settings.of(settings);
        MicroserviceAutoscale.Settings env = MicroserviceAutoscale.Settings.of(spec.params());
        int windowSyncs = (int) Math.ceil(chosen.stabilizationWindow() / env.stepSeconds());
        return new DecentralizedPolicy(NAME, spec, numEnvs, (copy, agent) -> new Controller(spec, agent, env,
                new HpaRule(chosen.targetUtilization(), chosen.tolerance(), windowSyncs, env.minReplicas(),
                        env.maxReplicas())));
    }

    /** Reads [desired, ready, starting, utilisation] from its own observation and asks for the rule's count. */
    static final class Controller implements AgentController {

        private final int ownStart;
        private final MicroserviceAutoscale.Settings env;
        private final HpaRule rule;

        Controller(EnvSpec spec, int agent, MicroserviceAutoscale.Settings env, HpaRule rule) {
            this.ownStart = spec.sharedObservationSpace().size()
                    + spec.agents().get(agent).observationPart(Part.OWN).offset();
            this.env = env;
            this.rule = rule;
        }

        @Override
        public void act(float[] view, boolean episodeStart, float[] action) {
            if (episodeStart) {
                rule.reset();
            }
            int desired = rule.desiredReplicas(Math.round(view[ownStart]), Math.round(view[ownStart + 1]),
                    Math.round(view[ownStart + 2]), view[ownStart + 3]);
            Arrays.fill(action, 0f);
            action[0] = env.action(desired);
        }
    }
}
