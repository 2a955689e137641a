package org.marlopt.client.job;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainingListener;

/**
 * A one-line progress bar redrawn at most every 200 ms, with the moving averages of the return and,
 * where defined, the success rate and the score, the speed, the time this process has trained and
 * the time left at its pace; only used on an interactive terminal.
 */
final class ConsoleProgress implements TrainingListener {

    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final int episodes;
    private final int window;
    private final Deque<double[]> recent = new ArrayDeque<>();
    private double returnSum;
    private double successSum;
    private double scoreSum;
    private long lastDraw;
    private long lastSteps;
    private double lastSeconds;
    private double stepsPerSecond;
    /** The first round this process trains (a resumed run starts past 0). */
    private int firstEpisode = -1;

    ConsoleProgress(PrintStream out, int episodes, int window) {
        this.out = out;
        this.episodes = episodes;
        this.window = window;
    }

    @Override
    public void onEpisode(EpisodeRecord r) {
        if (firstEpisode < 0) {
            firstEpisode = r.episode();
        }
        recent.addLast(new double[] {r.meanReturn(), r.successFraction(), r.score()});
        returnSum += r.meanReturn();
        successSum += r.successFraction();
        scoreSum += r.score();
        if (recent.size() > window) {
            double[] old = recent.removeFirst();
            returnSum -= old[0];
            successSum -= old[1];
            scoreSum -= old[2];
        }
        long now = System.nanoTime();
        boolean lastEpisode = r.episode() + 1 == episodes;
        if (now - lastDraw < REDRAW_NANOS && !lastEpisode) {
            return;
        }
        if (r.wallSeconds() > lastSeconds && lastSteps > 0) {
            stepsPerSecond = (r.envSteps() - lastSteps) / (r.wallSeconds() - lastSeconds);
        }
        lastSteps = r.envSteps();
        lastSeconds = r.wallSeconds();
        lastDraw = now;
        int filled = (int) ((long) BAR_WIDTH * (r.episode() + 1) / episodes);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "\r[%s%s] episode %d/%d | avg return %.3f",
                "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), r.episode() + 1, episodes,
                returnSum / recent.size()));
        if (!Double.isNaN(successSum)) { // NaN: the environment defines no success
            line.append(String.format(Locale.ROOT, " | success %.1f%%", 100 * successSum / recent.size()));
        }
        if (!Double.isNaN(scoreSum)) { // NaN: no score, or an episode still running at the round's end
            line.append(String.format(Locale.ROOT, " | score %.3f", scoreSum / recent.size()));
        }
        line.append(String.format(Locale.ROOT, " | %,.0f env steps/s", stepsPerSecond));
        double secondsPerRound = r.wallSeconds() / (r.episode() + 1 - firstEpisode);
        out.print(line.append(" | ").append(clock(r.wallSeconds())).append(" elapsed, ETA ")
                .append(clock(secondsPerRound * (episodes - r.episode() - 1))));
        if (lastEpisode) {
            out.println();
        }
        out.flush();
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String clock(double seconds) {
        long whole = Math.round(seconds);
        long hours = whole / 3600;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, whole / 60 % 60, whole % 60)
                : String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
}
