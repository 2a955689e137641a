package org.marlopt.client.io;

/**
 * Local linear regression with a tricube kernel (LOWESS without its robustness passes), in the
 * units of x (env steps), evaluated at every x.
 *
 * <p>Why this and not a trailing moving average or an EMA: both lag, by half the window and by
 * alpha/(1-alpha) points, so a curve rising at the start is drawn late and too low, and a trailing window
 * that grows until it is full kinks where it stops growing. A centered window has no lag inside the
 * data but is biased at the ends, where it sees one side only; fitting a line rather than a mean
 * removes that bias, since it reproduces any straight line exactly, at the ends too. The tricube
 * weights (1 - |d/h|^3)^3 fall smoothly to 0 at the window's edge, so a point entering or leaving
 * the window moves the curve smoothly (a box window would step), and working in env steps rather
 * than rows keeps the window the same length of training where rounds differ in size.
 */
public final class Smoother {

    private Smoother() {}

    /**
     * @param x ascending
     * @param halfWidth the window's half width in units of x: points further than this from an x get no weight
     */
    public static double[] smooth(double[] x, double[] y, double halfWidth) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must be of one length, not " + x.length + " and " + y.length);
        }
        if (!(halfWidth > 0)) {
            throw new IllegalArgumentException("halfWidth must be > 0, not " + halfWidth);
        }
        double[] smoothed = new double[x.length];
        int from = 0;
        int to = 0;
        for (int i = 0; i < x.length; i++) {
            while (x[i] - x[from] >= halfWidth) {
                from++;
            }
            while (to < x.length && x[to] - x[i] < halfWidth) {
                to++;
            }
            smoothed[i] = fitAt(x, y, from, to, x[i], halfWidth);
        }
        return smoothed;
    }

    /** The weighted least-squares line through points [from, to), evaluated at {@code at}. */
    private static double fitAt(double[] x, double[] y, int from, int to, double at, double halfWidth) {
        double sw = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int j = from; j < to; j++) {
            double d = (x[j] - at) / halfWidth;
            double u = 1 - Math.abs(d * d * d);
            double w = u * u * u;
            sw += w;
            sx += w * d;
            sy += w * y[j];
            sxx += w * d * d;
            sxy += w * d * y[j];
        }
        double variance = sw * sxx - sx * sx;
        // d is centred on `at`, so the line's value there is its intercept; one point (or all at one
        // x) fixes no slope, and the weighted mean is the fit
        if (variance <= 1e-12 * sw * sw) {
            return sy / sw;
        }
        return (sxx * sy - sx * sxy) / variance;
    }
}
