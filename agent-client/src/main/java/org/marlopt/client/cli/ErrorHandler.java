package org.marlopt.client.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.marlopt.client.session.EnvCallException;
import org.marlopt.client.io.CheckpointException;
import org.marlopt.cli.OneLineParseErrors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints errors users can act on as one line; anything unexpected keeps its stack trace. A command
 * line that does not parse (a wrong-type value, an unknown option) gets its one line and where the
 * usage is, rather than the whole usage.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    private final OneLineParseErrors parseErrors = new OneLineParseErrors();

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

    @Override
    public int handleParseException(ParameterException e, String[] args) throws Exception {
        return parseErrors.handleParseException(e, args);
    }
}
