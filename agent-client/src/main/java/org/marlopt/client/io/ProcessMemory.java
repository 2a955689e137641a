package org.marlopt.client.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memory this process has used, as Linux reports it. */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /**
     * Peak resident set size of this JVM in MiB (VmHWM of /proc/self/status): Java heap as far as
     * it has been touched, PyTorch's native memory, thread stacks, and an env server running in
     * this JVM; NaN where /proc is unavailable (not Linux).
     */
    public static double peakResidentMib() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
