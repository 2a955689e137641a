package org.marlopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark runs end to end and prints every row; it asserts no speed (that is its job). */
class EnvBenchmarkSmokeTest {

    @Test
    void printsOneRowPerPathAndBatchSize() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exitCode;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = new CommandLine(new EnvBenchmark()).execute("--seconds", "0.05", "--warmup-seconds", "0.05");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exitCode);
        List<String> rows = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("| ") && !line.startsWith("| path")).toList();
        assertEquals(9, rows.size(), String.join("\n", rows));
        for (String expected : List.of("| environment in-process | 1024 |", "| unary Step, blocking stub | 1 |",
                "| unary Step | 64 |", "| Interact stream | 1 |", "| Interact stream | 1024 |")) {
            assertTrue(rows.stream().anyMatch(row -> row.startsWith(expected)), "row " + expected);
        }
    }
}
