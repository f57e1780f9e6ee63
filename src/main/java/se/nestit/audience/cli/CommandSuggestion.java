package se.nestit.audience.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A mistyped command gets the command it most likely meant ({@code snyc}: "Did you mean sync?").
 * picocli's own suggestions compare pairs of letters, which a swap of two letters shares none of;
 * this counts edits instead, a swap being one. Other parse errors go to picocli's handler.
 */
final class CommandSuggestion implements IParameterExceptionHandler {

    /** Edits a typo may be away from the command it meant. */
    private static final int MAX_EDITS = 2;

    private final IParameterExceptionHandler next;

    CommandSuggestion(IParameterExceptionHandler next) {
        this.next = next;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine cl = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u
                && !u.isUnknownOption()
                && !cl.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty()) {
            String typed = u.getUnmatched().get(0);
            Optional<String> meant = closest(typed, cl);
            if (meant.isPresent()) {
                PrintWriter err = cl.getErr();
                err.println("error: unknown command '" + Main.oneLine(typed) + "'. Did you mean " + meant.get() + "?");
                err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for the commands.");
                return ExitCode.USAGE;
            }
        }
        return next.handleParseException(ex, args);
    }

    private static Optional<String> closest(String typed, CommandLine cl) {
        return cl.getSubcommands().keySet().stream()
                .filter(name -> edits(typed, name) <= Math.min(MAX_EDITS, name.length() - 1))
                .min(Comparator.comparingInt((String name) -> edits(typed, name)));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
