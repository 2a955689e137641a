package org.marlopt.client.io;

import java.awt.Color;
import java.util.Collection;
import java.util.List;

/**
 * The colour of each algorithm in the experiment charts: the palette entry at the rank of the
 * algorithm's name among the chart's algorithm names in sorted (String) order. The charts of one
 * experiment name the same algorithms (the sample-efficiency chart counts its classical levels
 * among them, though it draws those in grey), so an algorithm gets the same colour in all of them
 * whatever order the caller lists it in. The palette is seaborn's colour-blind one, as in rliable, without its
 * grey (the classical policies' lines are grey) and its yellow (faint on white); a ninth algorithm
 * repeats the first colour.
 */
final class AlgorithmColors {

    // seaborn's order, but the vermilion after the pink: next to the orange it was hard to tell apart
    private static final Color[] PALETTE = {new Color(0x0173B2), new Color(0xDE8F05), new Color(0x029E73),
        new Color(0xCC78BC), new Color(0xD55E00), new Color(0xCA9161), new Color(0x56B4E9), new Color(0xFBAFE4)};

    private final List<String> sorted;

    AlgorithmColors(Collection<String> algorithms) {
        this.sorted = algorithms.stream().distinct().sorted().toList();
    }

    /** The algorithms in sorted order, each once. */
    List<String> sorted() {
        return sorted;
    }

    Color of(String algorithm) {
        int rank = sorted.indexOf(algorithm);
        if (rank < 0) {
            throw new IllegalArgumentException("algorithm '" + algorithm + "' is not one of " + sorted);
        }
        return PALETTE[rank % PALETTE.length];
    }

    /** {@code color} with opacity {@code alpha} (0 to 255), for areas the lines must show through. */
    static Color translucent(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }
}
