package org.marlopt.system.byoa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * The tools the other-language agents need. A missing one fails the test with the command that installs
 * it: these tests are never skipped silently.
 */
public final class Prerequisites {

    /** Debian's python3-grpcio and python3-grpc-tools install for this interpreter, not a pyenv one. */
    public static final String PYTHON = "/usr/bin/python3";
    private static final String INSTALL = "run `bash scripts/install-test-deps.sh`";

    private Prerequisites() {
    }

    public static void requirePythonGrpc() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new AssertionError(PYTHON + " is missing: install python3, then " + INSTALL);
        }
        ExternalCommand probe = ExternalCommand.run(Duration.ofSeconds(30),
                PYTHON, "-c", "import grpc, grpc_tools.protoc");
        if (probe.exitCode() != 0) {
            throw new AssertionError("Python gRPC is missing for " + PYTHON + " (python3-grpcio, python3-grpc-tools): "
                    + INSTALL + "\n" + probe.describe());
        }
    }

    public static void requireNodeAgentModules() {
        if (!ExternalCommand.isOnPath("node")) {
            throw new AssertionError("node is not on PATH: install Node.js 18 or later, then " + INSTALL);
        }
        Path modules = ProjectFiles.root().resolve("examples/node-agent/node_modules/@grpc/grpc-js");
        if (!Files.isDirectory(modules)) {
            throw new AssertionError("the Node agent's packages are not installed (" + modules + " is missing): "
                    + INSTALL + " (it runs `npm ci` in examples/node-agent)");
        }
    }
}
