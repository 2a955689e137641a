package org.marlopt.envs.autoscale;

import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/** One copy of {@value MicroserviceAutoscale#ID}: the replicas, the arrival trace and the simulator. */
final class MicroserviceAutoscaleCopy implements EnvCopy {

    private final MicroserviceAutoscale.Settings settings;
    private final int services;
    private final Replicas replicas;
    private final ArrivalTrace trace;
    private final AnalyticModel analytic;
    private final EventSimulator events;
    private final ClairvoyantAllocation clairvoyant;
    private final StepMeasurements measured;
    private final int[] clairvoyantReplicas;
    private double userRate;
    private double episodeCost;
    private int episodeViolations;
    private double episodeClairvoyantCost;

    /**
     * An upper estimate of one copy's heap: per service its replicas (and the replicas starting,
     * by steps left), the analytic model's, clairvoyant allocation's and measurements' values;
     * with discrete events the simulator ({@link EventSimulator#footprintBytes}), by far the
     * largest part; plus 2 KiB of object headers, fields and the arrival trace.
     */
    static long footprintBytes(MicroserviceAutoscale.Settings settings) {
        long services = settings.graph().size();
        long perService = Integer.BYTES * (3L + Math.max(1, settings.startupSteps())) + 9L * Double.BYTES + 16;
        long events = settings.discreteEvents() ? EventSimulator.footprintBytes(settings.graph(),
                settings.latencyCap(), settings.queueCapacity(), settings.maxReplicas()) : 0;
        return 2048 + services * perService + events;
    }

    MicroserviceAutoscaleCopy(MicroserviceAutoscale.Settings settings) {
        this.settings = settings;
        this.services = settings.graph().size();
        this.replicas = new Replicas(services, settings.startupSteps());
        this.trace = settings.newTrace();
        this.analytic = new AnalyticModel(settings.graph(), settings.latencyCap());
        this.events = settings.discreteEvents() ? new EventSimulator(settings.graph(), settings.stepSeconds(),
                settings.latencyCap(), settings.queueCapacity(), settings.maxReplicas()) : null;
        this.clairvoyant = new ClairvoyantAllocation(settings.graph(), analytic, settings.slo(), settings.minReplicas(),
                settings.maxReplicas());
        this.measured = new StepMeasurements(services);
        this.clairvoyantReplicas = new int[services];
    }

    /**
     * Starts at the trough with the clairvoyant allocation ready and the queues empty. The first
     * observation's measurements are the analytic model's at that allocation.
     */
    @Override
    public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out) {
        trace.reset(random.split());
        if (events != null) {
            events.reset(random.split());
        }
        userRate = trace.rate();
        int total = clairvoyant.solve(userRate, clairvoyantReplicas);
        replicas.reset(clairvoyantReplicas);
        analytic.evaluate(userRate, replicas.readyCounts(), measured);
        episodeCost = 0;
        episodeViolations = 0;
        episodeClairvoyantCost = 0;
        writeInfo(out, settings.price() * total, false, settings.price() * total);
    }

    @Override
    public void step(float[][] actions, CopyOutput out) {
        for (int s = 0; s < services; s++) {
            replicas.scaleTo(s, settings.desiredReplicas(actions[s][0]));
        }
        userRate = trace.rate();
        if (events != null) {
            events.simulateStep(userRate, replicas.readyCounts(), measured);
        } else {
            analytic.evaluate(userRate, replicas.readyCounts(), measured);
        }
        double cost = settings.price() * totalReplicas();
        boolean violation = measured.p99 > settings.slo();
        double clairvoyantCost = settings.price() * clairvoyant.solve(userRate, clairvoyantReplicas);
        episodeCost += cost;
        episodeViolations += violation ? 1 : 0;
        episodeClairvoyantCost += clairvoyantCost;
        out.sharedReward((float) (-settings.rewardScale() * (cost + (violation ? settings.sloPenalty() : 0))));
        writeInfo(out, cost, violation, clairvoyantCost);
        replicas.advance();
        trace.advance(settings.stepSeconds());
    }

    private int totalReplicas() {
        int total = 0;
        for (int s = 0; s < services; s++) {
            total += replicas.total(s);
        }
        return total;
    }

    private void writeInfo(CopyOutput out, double cost, boolean violation, double clairvoyantCost) {
        out.info(MicroserviceAutoscale.COST, cost);
        out.info(MicroserviceAutoscale.SLO_VIOLATION, violation ? 1 : 0);
        out.info(MicroserviceAutoscale.P50_LATENCY, measured.p50);
        out.info(MicroserviceAutoscale.P99_LATENCY, measured.p99);
        out.info(MicroserviceAutoscale.CLAIRVOYANT_COST, clairvoyantCost);
        out.info(MicroserviceAutoscale.USER_RATE, userRate);
        out.info(MicroserviceAutoscale.EPISODE_COST, episodeCost);
        out.info(MicroserviceAutoscale.EPISODE_SLO_VIOLATIONS, episodeViolations);
        out.info(MicroserviceAutoscale.EPISODE_CLAIRVOYANT_COST, episodeClairvoyantCost);
        for (int s = 0; s < services; s++) {
            out.info(MicroserviceAutoscale.FIRST_UTILIZATION + s, measured.utilization[s]);
        }
    }

    @Override
    public void observe(CopyOutput out) {
        for (int s = 0; s < services; s++) {
            int start = s * MicroserviceAutoscale.OBSERVATION_SIZE;
            write(out, s, start, 0, replicas.total(s));
            write(out, s, start, 1, replicas.ready(s));
            write(out, s, start, 2, replicas.starting(s));
            write(out, s, start, 3, measured.utilization[s]);
            write(out, s, start, 4, measured.callRate[s]);
            write(out, s, start, 5, measured.serviceLatency[s]);
            write(out, s, start, 6, userRate);
        }
    }

    /** Element {@code index} of agent {@code agent}'s observation, and its copy in the state. */
    private static void write(CopyOutput out, int agent, int stateStart, int index, double value) {
        out.observation(agent, index, (float) value);
        out.state(stateStart + index, (float) value);
    }
}
