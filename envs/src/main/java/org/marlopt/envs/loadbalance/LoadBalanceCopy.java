package org.marlopt.envs.loadbalance;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/** One copy of {@value LoadBalance#ID} in multi mode: the servers, the dispatchers' routers, the job stream. */
final class LoadBalanceCopy implements EnvCopy {

    private final LoadBalance.Settings settings;
    private final int numServers;
    private final int numDispatchers;
    private final FifoServer[] servers;
    private final Router[] routers;
    private final JobStream jobs;
    private final JobStream.Arrival nextJob = new JobStream.Arrival();
    private final ResponseStats stats = new ResponseStats();
    /** Each server's jobs and unfinished work at the end of the last epoch, and of the one before. */
    private final double[] freshQueues;
    private final double[] freshWork;
    private final double[] staleQueues;
    private final double[] staleWork;
    private final double[] workAtEpochStart;
    private final double[] workArrived;
    private final double[] utilisation;
    private SplittableRandom routingRandom;
    private double now;
    private int jobsInSystem;

    LoadBalanceCopy(LoadBalance.Settings settings, JobStream jobs) {
        this.settings = settings;
        this.numServers = settings.numServers();
        this.numDispatchers = settings.numDispatchers();
        this.jobs = jobs;
        this.servers = new FifoServer[numServers];
        for (int j = 0; j < numServers; j++) {
            servers[j] = new FifoServer(settings.serviceRates()[j]);
        }
        this.routers = new Router[numDispatchers];
        for (int k = 0; k < numDispatchers; k++) {
            routers[k] = new Router(numServers, settings.roundRobinRouting(), settings.encoding());
        }
        this.freshQueues = new double[numServers];
        this.freshWork = new double[numServers];
        this.staleQueues = new double[numServers];
        this.staleWork = new double[numServers];
        this.workAtEpochStart = new double[numServers];
        this.workArrived = new double[numServers];
        this.utilisation = new double[numServers];
    }

    /** An empty system at time 0; arrivals and routing get streams of their own, so policies share job sequences. */
    @Override
    public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out) {
        jobs.restart(random.split());
        routingRandom = random.split();
        jobs.next(nextJob);
        for (FifoServer server : servers) {
            server.clear();
        }
        for (Router router : routers) {
            router.clear();
        }
        Arrays.fill(freshQueues, 0);
        Arrays.fill(freshWork, 0);
        Arrays.fill(staleQueues, 0);
        Arrays.fill(staleWork, 0);
        Arrays.fill(utilisation, 0);
        now = 0;
        jobsInSystem = 0;
        stats.startEpisode();
        writeInfo(out);
    }

    /** One epoch: route its arrivals by the weights, let the servers work, score the jobs x time. */
    @Override
    public void step(float[][] actions, CopyOutput out) {
        double end = now + settings.epoch();
        for (int k = 0; k < numDispatchers; k++) {
            routers[k].setWeights(actions[k]);
        }
        for (int j = 0; j < numServers; j++) {
            workAtEpochStart[j] = servers[j].unfinishedWork(now);
            workArrived[j] = 0;
        }
        stats.startStep();
        // jobs x time = jobs at the start x epoch + sum of (end - arrival) - sum of (end - departure)
        double timeInSystem = jobsInSystem * settings.epoch();
        timeInSystem += admitArrivalsBefore(end);
        timeInSystem -= departBy(end);
        measureServers(end);
        now = end;
        stats.addTimeInSystem(timeInSystem);
        out.sharedReward((float) (-settings.rewardScale() * timeInSystem));
        writeInfo(out);
    }

    /** Routes every job arriving before {@code end}; returns the sum of end - arrival over them. */
    private double admitArrivalsBefore(double end) {
        double timeUntilEnd = 0;
        while (nextJob.time < end) {
            int server = routers[nextJob.dispatcher].choose(routingRandom);
            servers[server].admit(nextJob.time, nextJob.size);
            workArrived[server] += nextJob.size / servers[server].rate();
            timeUntilEnd += end - nextJob.time;
            jobsInSystem++;
            jobs.next(nextJob);
        }
        return timeUntilEnd;
    }

    /** Completes every job departed by {@code end}; returns the sum of end - departure over them. */
    private double departBy(double end) {
        double timeGone = 0;
        jobsInSystem = 0;
        for (FifoServer server : servers) {
            timeGone += server.departBy(end, stats);
            jobsInSystem += server.jobs();
        }
        return timeGone;
    }

    /**
     * Moves the last epoch's values to the stale ones and takes the new. A server works at rate 1
     * (in time units) while busy, so its busy time is the work it had plus the work it got less
     * the work it has left.
     */
    private void measureServers(double end) {
        System.arraycopy(freshQueues, 0, staleQueues, 0, numServers);
        System.arraycopy(freshWork, 0, staleWork, 0, numServers);
        for (int j = 0; j < numServers; j++) {
            freshQueues[j] = servers[j].jobs();
            freshWork[j] = servers[j].unfinishedWork(end);
            utilisation[j] = (workAtEpochStart[j] + workArrived[j] - freshWork[j]) / settings.epoch();
        }
    }

    private void writeInfo(CopyOutput out) {
        stats.write(out, jobsInSystem);
        for (int j = 0; j < numServers; j++) {
            out.info(LoadBalance.UTILISATION, j, utilisation[j]);
        }
    }

    @Override
    public void observe(CopyOutput out) {
        for (int k = 0; k < numDispatchers; k++) {
            for (int j = 0; j < numServers; j++) {
                boolean fresh = settings.freshInformation() || j % numDispatchers == k;
                out.observation(k, j, (float) (fresh ? freshQueues[j] : staleQueues[j]));
                out.observation(k, numServers + j, (float) (fresh ? freshWork[j] : staleWork[j]));
            }
        }
        for (int j = 0; j < numServers; j++) {
            out.state(j, (float) freshQueues[j]);
            out.state(numServers + j, (float) freshWork[j]);
        }
    }
}
