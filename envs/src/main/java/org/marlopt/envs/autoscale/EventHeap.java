package org.marlopt.envs.autoscale;

/** A binary min-heap of (time, request) on arrays: the pending service completions. */
final class EventHeap {

    private final double[] times;
    private final int[] requests;
    private int size;

    EventHeap(int capacity) {
        this.times = new double[capacity];
        this.requests = new int[capacity];
    }

    void clear() {
        size = 0;
    }

    /** The earliest completion time; infinity when none is pending. */
    double firstTime() {
        return size == 0 ? Double.POSITIVE_INFINITY : times[0];
    }

    int firstRequest() {
        return requests[0];
    }

    void push(double time, int request) {
        int child = size++;
        while (child > 0) {
            int parent = (child - 1) >>> 1;
            if (times[parent] <= time) {
                break;
            }
            times[child] = times[parent];
            requests[child] = requests[parent];
            child = parent;
        }
        times[child] = time;
        requests[child] = request;
    }

    void removeFirst() {
        double time = times[--size];
        int request = requests[size];
        int parent = 0;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && times[child + 1] < times[child]) {
                child++;
            }
            if (times[child] >= time) {
                break;
            }
            times[parent] = times[child];
            requests[parent] = requests[child];
            parent = child;
        }
        times[parent] = time;
        requests[parent] = request;
    }
}
