package org.marlopt.client.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainingListener;

/**
 * The per-episode CSV: episode, return, length, solved (fraction of copies), loss and gradient
 * norm per agent, learning rate, batched steps, cumulative env steps, wall time. On resume the
 * rows after the checkpoint are dropped, so the file continues exactly from it.
 */
public final class EpisodeCsv implements TrainingListener, AutoCloseable {

    private final BufferedWriter writer;

    private EpisodeCsv(BufferedWriter writer) {
        this.writer = writer;
    }

    /** Opens {@code file}, keeping only rows of episodes before {@code firstEpisode}. */
    public static EpisodeCsv open(Path file, List<String> agents, int firstEpisode) throws IOException {
        List<String> kept = new ArrayList<>();
        kept.add(header(agents));
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
        return new EpisodeCsv(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    private static String header(List<String> agents) {
        StringBuilder header = new StringBuilder("episode,return,length,solved");
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
        row.append(r.episode()).append(',').append(number(r.meanReturn())).append(',')
                .append(number(r.meanLength())).append(',').append(number(r.solvedFraction()));
        for (float loss : r.losses()) {
            row.append(',').append(number(loss));
        }
        for (float norm : r.gradientNorms()) {
            row.append(',').append(number(norm));
        }
        row.append(',').append(number(r.learningRate())).append(',').append(r.steps()).append(',')
                .append(r.envSteps()).append(',').append(String.format(Locale.ROOT, "%.3f", r.wallSeconds()));
        writer.write(row.toString());
        writer.newLine();
    }

    /** Writes buffered rows to the file (before a checkpoint, so file and checkpoint agree). */
    public void flush() throws IOException {
        writer.flush();
    }

    /** The return column of an episodes CSV, in episode order. */
    public static double[] readReturns(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.stream().skip(1).filter(line -> !line.isBlank())
                .mapToDouble(line -> Double.parseDouble(line.split(",", 3)[1])).toArray();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
