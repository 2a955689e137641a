package org.marlopt.system.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The Prometheus series names of the team's metric contract (observability/metric-contract.txt). */
final class MetricContract {

    private static final String RESOURCE = "/observability/metric-contract.txt";

    private MetricContract() {
    }

    static Set<String> seriesNames() {
        try (InputStream in = MetricContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A series name without the suffix a timer or summary adds: its meter's name. */
    static String family(String seriesName) {
        return seriesName.replaceFirst("_(bucket|count|sum|max)$", "");
    }
}
