package org.marlopt.client.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainingListener;

/**
 * The per-episode CSV: episode, team return, length, then the success fraction and the score when
 * the environment defines them (columns named by its success and score keys, e.g. "solved" and
 * "score"), each agent's return, loss and gradient norm, learning rate, batched steps, cumulative
 * env steps, wall time. On resume the rows after the checkpoint are dropped, so the file continues
 * exactly from it.
 */
public final class EpisodeCsv implements TrainingListener, AutoCloseable {

    private final BufferedWriter writer;
    private final boolean success;
    private final boolean score;

    private EpisodeCsv(BufferedWriter writer, boolean success, boolean score) {
        this.writer = writer;
        this.success = success;
        this.score = score;
    }

    /** Opens {@code file} for a session of {@code spec}, keeping only rows of episodes before {@code firstEpisode}. */
    public static EpisodeCsv open(Path file, SessionSpec spec, int firstEpisode) throws IOException {
        List<String> kept = new ArrayList<>();
        kept.add(header(spec));
        if (firstEpisode > 0 && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                int comma = line.indexOf(',');
                if (comma > 0 && Integer.parseInt(line.substring(0, comma)) < firstEpisode) {
                    kept.add(line);
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, kept, StandardCharsets.UTF_8);
        return new EpisodeCsv(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND),
                spec.successKey() != null, spec.scoreKey() != null);
    }

    private static String header(SessionSpec spec) {
        StringBuilder header = new StringBuilder("episode,return,length");
        if (spec.successKey() != null) {
            header.append(',').append(spec.successKey());
        }
        if (spec.scoreKey() != null) {
            header.append(',').append(spec.scoreKey());
        }
        List<String> agents = spec.agentNames();
        for (String agent : agents) {
            header.append(",return_").append(agent);
        }
        for (String agent : agents) {
            header.append(",loss_").append(agent);
        }
        for (String agent : agents) {
            header.append(",grad_norm_").append(agent);
        }
        return header.append(",learning_rate,steps,env_steps,wall_time_s").toString();
    }

    @Override
    public void onEpisode(EpisodeRecord r) throws IOException {
        StringBuilder row = new StringBuilder();
        row.append(r.episode()).append(',').append(number(r.meanReturn())).append(',').append(number(r.meanLength()));
        if (success) {
            row.append(',').append(number(r.successFraction()));
        }
        if (score) {
            row.append(',').append(number(r.score()));
        }
        for (double agentReturn : r.agentReturns()) {
            row.append(',').append(number(agentReturn));
        }
        for (float loss : r.losses()) {
            row.append(',').append(number(loss));
        }
        for (float norm : r.gradientNorms()) {
            row.append(',').append(number(norm));
        }
        row.append(',').append(number(r.learningRate())).append(',').append(r.steps()).append(',')
                .append(r.envSteps()).append(',').append(seconds(r.wallSeconds()));
        writer.write(row.toString());
        writer.newLine();
    }

    /** Writes buffered rows to the file (before a checkpoint, so file and checkpoint agree). */
    public void flush() throws IOException {
        writer.flush();
    }

    /** The (team) return column of an episodes CSV, in episode order. */
    public static double[] readReturns(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.stream().skip(1).filter(line -> !line.isBlank())
                .mapToDouble(line -> Double.parseDouble(line.split(",", 3)[1])).toArray();
    }

    private static String number(double value) {
        return SixDigits.format(value);
    }

    /** A wall time with three decimals, as %.3f writes it, without Formatter (see {@link SixDigits}). */
    static String seconds(double seconds) {
        long millis = Math.round(seconds * 1000);
        return millis / 1000 + "." + Long.toString(1000 + millis % 1000).substring(1);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
