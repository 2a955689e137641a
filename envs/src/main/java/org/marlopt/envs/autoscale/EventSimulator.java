package org.marlopt.envs.autoscale;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The discrete-event fidelity: user requests arrive as a Poisson process at the step's rate and
 * make their calls one after another (the order of {@link CallGraph#drawCallSequence}); each call
 * queues FCFS at its service for one of the ready replicas and holds it for an exponential time
 * of mean cpu_demand. A replica is not held while its call waits for the calls it makes. A call
 * that finds queue_capacity calls waiting fails at once (a timeout) and its request counts with
 * the latency cap. Requests in flight carry over from step to step. When a scale-down leaves more
 * busy replicas than ready ones, the removed replicas finish their call (graceful termination).
 * Everything lives in arrays sized up front: no allocation per step.
 */
final class EventSimulator {

    private final CallGraph graph;
    private final double stepSeconds;
    private final double latencyCap;
    private final int queueCapacity;
    private final int maxCalls;
    private final Histogram latencies;
    private final EventHeap completions;

    // Requests in flight, by slot: their calls, the next one, when they and their current call began.
    private final int[] calls;
    private final int[] callCount;
    private final int[] cursor;
    private final double[] requestStart;
    private final double[] callStart;
    private final int[] freeSlots;
    private int freeCount;

    // Per service: busy replicas, the FCFS queue (a ring of slots), and the step's tallies.
    private final int[] busy;
    private final int[] queue;
    private final int[] queueHead;
    private final int[] queueLength;
    private final double[] busyArea;
    private final double[] lastBusyChange;
    private final int[] callsArrived;
    private final int[] callsDone;
    private final double[] sojournSum;

    private int[] ready;
    private SplittableRandom random;
    private double now;
    private double userRate;
    private double nextArrival;

    /**
     * An upper estimate of a simulator's heap: its call slots (one per request that can be in
     * service or queued), the queues, the completion heap, the per-service tallies and the
     * latency histogram, plus 16 KiB of headers and fields (measured: 2% above the arrays alone).
     */
    static long footprintBytes(CallGraph graph, double latencyCap, int queueCapacity, int maxReplicas) {
        long services = graph.size();
        long slots = services * (maxReplicas + queueCapacity);
        long slotBytes = slots * (Integer.BYTES * (graph.maxVisitsPerRequest() + 3L) + 2L * Double.BYTES);
        long queueBytes = services * queueCapacity * Integer.BYTES;
        long heapBytes = services * maxReplicas * (Double.BYTES + Integer.BYTES);
        long tallyBytes = services * (5L * Integer.BYTES + 3L * Double.BYTES);
        long histogramBytes = new Histogram(Math.max(2, micros(latencyCap)), 2).getEstimatedFootprintInBytes();
        return 16 * 1024 + slotBytes + queueBytes + heapBytes + tallyBytes + histogramBytes;
    }

    EventSimulator(CallGraph graph, double stepSeconds, double latencyCap, int queueCapacity, int maxReplicas) {
        int services = graph.size();
        this.graph = graph;
        this.stepSeconds = stepSeconds;
        this.latencyCap = latencyCap;
        this.queueCapacity = queueCapacity;
        this.maxCalls = graph.maxVisitsPerRequest();
        this.latencies = new Histogram(Math.max(2, micros(latencyCap)), 2);
        this.completions = new EventHeap(services * maxReplicas);
        // every request in flight is in service or queued at one service
        int slots = services * (maxReplicas + queueCapacity);
        this.calls = new int[slots * maxCalls];
        this.callCount = new int[slots];
        this.cursor = new int[slots];
        this.requestStart = new double[slots];
        this.callStart = new double[slots];
        this.freeSlots = new int[slots];
        this.busy = new int[services];
        this.queue = new int[services * queueCapacity];
        this.queueHead = new int[services];
        this.queueLength = new int[services];
        this.busyArea = new double[services];
        this.lastBusyChange = new double[services];
        this.callsArrived = new int[services];
        this.callsDone = new int[services];
        this.sojournSum = new double[services];
    }

    private static long micros(double seconds) {
        return Math.round(seconds * 1e6);
    }

    /** Empties the system at t = 0. */
    void reset(SplittableRandom random) {
        this.random = random;
        this.now = 0;
        completions.clear();
        freeCount = freeSlots.length;
        for (int slot = 0; slot < freeSlots.length; slot++) {
            freeSlots[slot] = freeSlots.length - 1 - slot;
        }
        Arrays.fill(busy, 0);
        Arrays.fill(queueLength, 0);
        Arrays.fill(queueHead, 0);
    }

    /** Simulates one step at user rate {@code rate} with {@code readyReplicas} per service. */
    void simulateStep(double rate, int[] readyReplicas, StepMeasurements out) {
        double stepEnd = now + stepSeconds;
        beginStep(rate, readyReplicas);
        while (true) {
            double next = Math.min(nextArrival, completions.firstTime());
            if (next > stepEnd) {
                break;
            }
            now = next;
            if (next == nextArrival) {
                admitRequest();
                nextArrival = now + exponential(1 / userRate);
            } else {
                int slot = completions.firstRequest();
                completions.removeFirst();
                finishCall(slot);
            }
        }
        now = stepEnd;
        measure(out);
    }

    private void beginStep(double rate, int[] readyReplicas) {
        this.ready = readyReplicas;
        this.userRate = rate;
        // memoryless: the next arrival at the new rate may be drawn afresh from now
        this.nextArrival = rate > 0 ? now + exponential(1 / rate) : Double.POSITIVE_INFINITY;
        latencies.reset();
        for (int s = 0; s < graph.size(); s++) {
            busyArea[s] = 0;
            lastBusyChange[s] = now;
            callsArrived[s] = 0;
            callsDone[s] = 0;
            sojournSum[s] = 0;
            startQueuedCalls(s);
        }
    }

    private void admitRequest() {
        int slot = freeSlots[--freeCount];
        int offset = slot * maxCalls;
        callCount[slot] = graph.drawCallSequence(0, random, calls, offset) - offset;
        cursor[slot] = 0;
        requestStart[slot] = now;
        enterService(slot);
    }

    /** The request's current call arrives at its service: served, queued, or failed when the queue is full. */
    private void enterService(int slot) {
        int service = calls[slot * maxCalls + cursor[slot]];
        callsArrived[service]++;
        callStart[slot] = now;
        if (busy[service] < ready[service]) {
            startWork(service, slot);
        } else if (queueLength[service] < queueCapacity) {
            queue[service * queueCapacity + (queueHead[service] + queueLength[service]) % queueCapacity] = slot;
            queueLength[service]++;
        } else {
            endRequest(slot, latencyCap);
        }
    }

    private void startWork(int service, int slot) {
        changeBusy(service, +1);
        completions.push(now + exponential(graph.demand(service)), slot);
    }

    private void startQueuedCalls(int service) {
        while (busy[service] < ready[service] && queueLength[service] > 0) {
            int slot = queue[service * queueCapacity + queueHead[service]];
            queueHead[service] = (queueHead[service] + 1) % queueCapacity;
            queueLength[service]--;
            startWork(service, slot);
        }
    }

    private void finishCall(int slot) {
        int service = calls[slot * maxCalls + cursor[slot]];
        changeBusy(service, -1);
        callsDone[service]++;
        sojournSum[service] += now - callStart[slot];
        startQueuedCalls(service);
        if (++cursor[slot] < callCount[slot]) {
            enterService(slot);
        } else {
            endRequest(slot, now - requestStart[slot]);
        }
    }

    private void endRequest(int slot, double latency) {
        latencies.recordValue(Math.max(1, micros(Math.min(latency, latencyCap))));
        freeSlots[freeCount++] = slot;
    }

    private void changeBusy(int service, int change) {
        busyArea[service] += busy[service] * (now - lastBusyChange[service]);
        lastBusyChange[service] = now;
        busy[service] += change;
    }

    private void measure(StepMeasurements out) {
        for (int s = 0; s < graph.size(); s++) {
            changeBusy(s, 0);
            out.utilization[s] = Math.min(1, busyArea[s] / (ready[s] * stepSeconds));
            out.callRate[s] = callsArrived[s] / stepSeconds;
            out.serviceLatency[s] = callsDone[s] == 0 ? 0 : sojournSum[s] / callsDone[s];
        }
        boolean anyDone = latencies.getTotalCount() > 0;
        out.p50 = anyDone ? latencies.getValueAtPercentile(50) / 1e6 : 0;
        out.p99 = anyDone ? latencies.getValueAtPercentile(99) / 1e6 : 0;
    }

    private double exponential(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }
}
