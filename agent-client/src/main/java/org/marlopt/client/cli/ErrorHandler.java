package org.marlopt.client.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.marlopt.client.session.EnvCallException;
import org.marlopt.client.io.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints errors users can act on as one line; anything unexpected keeps its stack trace. */
public final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof IllegalArgumentException || e instanceof CheckpointException
                || e instanceof EnvCallException || e instanceof IOException || e instanceof UncheckedIOException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        }
        e.printStackTrace(commandLine.getErr());
        return 70;
    }
}
