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

/**
 * evaluations.csv, the evaluations made while training: one row per evaluation with the rounds
 * trained so far, the run's env steps, the training wall time of this process so far (evaluations
 * excluded), then the {@link EvaluationFigures} (empty where the environment defines none). On
 * resume the rows after the checkpoint are dropped, so the file continues exactly from it.
 */
public final class EvaluationCsv implements AutoCloseable {

    public static final String HEADER = "round,env_steps,wall_seconds," + String.join(",", EvaluationFigures.NAMES);

    /**
     * One evaluation.
     *
     * @param round rounds trained when it was made (1-based: the row after the first round says 1)
     * @param envSteps environment steps trained since the run began
     * @param wallSeconds training wall time of this process until then, without evaluation time
     */
    public record Row(int round, long envSteps, double wallSeconds, EvaluationFigures figures) {
    }

    private final BufferedWriter writer;

    private EvaluationCsv(BufferedWriter writer) {
        this.writer = writer;
    }

    /** Opens {@code file} for appending, keeping only the rows of rounds up to {@code roundsDone}. */
    public static EvaluationCsv open(Path file, int roundsDone) throws IOException {
        List<String> kept = new ArrayList<>();
        kept.add(HEADER);
        if (roundsDone > 0 && Files.exists(file)) {
            for (Row row : read(file)) {
                if (row.round() <= roundsDone) {
                    kept.add(format(row));
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, kept, StandardCharsets.UTF_8);
        return new EvaluationCsv(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    /**
     * Appends {@code row} and flushes it: rows are rare, and a crash must not lose the curve so far.
     * Returns the row as the file holds it (figures to 6 significant digits), which is what a
     * resumed run reads back: comparing these keeps a resumed run's choices those of a straight one.
     */
    public Row append(Row row) throws IOException {
        String line = format(row);
        writer.write(line);
        writer.newLine();
        writer.flush();
        return parse(null, line);
    }

    /** Every row of an evaluations.csv. */
    public static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " is not an evaluations CSV: its first line must be " + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(parse(file, line));
            }
        }
        return rows;
    }

    private static String format(Row row) {
        StringBuilder line = new StringBuilder().append(row.round()).append(',').append(row.envSteps()).append(',')
                .append(String.format(Locale.ROOT, "%.3f", row.wallSeconds()));
        for (double value : row.figures().values()) {
            line.append(',').append(Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value));
        }
        return line.toString();
    }

    private static Row parse(Path file, String line) throws IOException {
        String[] cells = line.split(",", -1);
        if (cells.length != 3 + EvaluationFigures.NAMES.size()) {
            throw new IOException(file + ": row '" + line + "' does not have the columns of " + HEADER);
        }
        double[] figures = new double[EvaluationFigures.NAMES.size()];
        for (int i = 0; i < figures.length; i++) {
            figures[i] = cells[3 + i].isEmpty() ? Double.NaN : Double.parseDouble(cells[3 + i]);
        }
        return new Row(Integer.parseInt(cells[0]), Long.parseLong(cells[1]), Double.parseDouble(cells[2]),
                new EvaluationFigures(figures[0], figures[1], figures[2], figures[3], figures[4]));
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
