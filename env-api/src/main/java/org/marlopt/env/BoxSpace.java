package org.marlopt.env;

import java.util.Arrays;

/**
 * A Gymnasium Box: a real-valued array of the given shape with per-element bounds (row-major).
 * Infinite bounds mean unbounded.
 */
public record BoxSpace(int[] shape, float[] low, float[] high) {

    public BoxSpace {
        shape = shape.clone();
        low = low.clone();
        high = high.clone();
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (low.length != size || high.length != size) {
            throw new IllegalArgumentException("low/high must have " + size + " elements");
        }
    }

    /** A one-dimensional box of {@code size} elements, every element in [low, high]. */
    public static BoxSpace vector(int size, float low, float high) {
        float[] lows = new float[size];
        float[] highs = new float[size];
        Arrays.fill(lows, low);
        Arrays.fill(highs, high);
        return new BoxSpace(new int[] {size}, lows, highs);
    }

    /** The elements of {@code first} followed by those of {@code second}, as a one-dimensional box. */
    public static BoxSpace concat(BoxSpace first, BoxSpace second) {
        int size = first.size() + second.size();
        float[] lows = Arrays.copyOf(first.low, size);
        float[] highs = Arrays.copyOf(first.high, size);
        System.arraycopy(second.low, 0, lows, first.size(), second.size());
        System.arraycopy(second.high, 0, highs, first.size(), second.size());
        return new BoxSpace(new int[] {size}, lows, highs);
    }

    /** Number of elements: the product of the shape. */
    public int size() {
        return low.length;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public float[] low() {
        return low.clone();
    }

    @Override
    public float[] high() {
        return high.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BoxSpace box
                && Arrays.equals(shape, box.shape)
                && Arrays.equals(low, box.low)
                && Arrays.equals(high, box.high);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(low)) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "BoxSpace" + Arrays.toString(shape);
    }
}
