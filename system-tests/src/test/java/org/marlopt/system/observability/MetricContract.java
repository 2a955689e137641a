package org.marlopt.system.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The Prometheus series names of the team's metric contract (observability/metric-contract.txt). */
final class MetricContract {

    private static final String RESOURCE = "/observability/metric-contract.txt";

    private MetricContract() {
    }

    static Set<String> seriesNames() {
        return lines().stream()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The series the agent client exports: its section of the contract, "# agent-client" up to a blank line. */
    static Set<String> clientSeriesNames() {
        List<String> lines = lines();
        int section = lines.indexOf("# agent-client");
        if (section < 0) {
            throw new IllegalStateException(RESOURCE + " has no \"# agent-client\" section");
        }
        return lines.subList(section + 1, lines.size()).stream()
                .takeWhile(line -> !line.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> lines() {
        try (InputStream in = MetricContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A series name without the suffix a timer or summary adds: its meter's name. */
    static String family(String seriesName) {
        return seriesName.replaceFirst("_(bucket|count|sum|max)$", "");
    }
}
