package org.marlopt.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line that does not parse (a wrong-type value, an unknown option) gets one line naming
 * what is wrong, with picocli's suggestions, and where the usage is, rather than the whole usage.
 * Shared by the env server's and the agent client's command lines.
 */
public final class OneLineParseErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        List<String> suggestions = e instanceof UnmatchedArgumentException unmatched ? unmatched.getSuggestions()
                : List.of();
        err.println("error: " + e.getMessage()
                + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?"));
        err.println("see: " + commandLine.getCommandSpec().qualifiedName() + " --help");
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
