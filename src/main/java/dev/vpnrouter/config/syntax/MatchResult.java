package dev.vpnrouter.config.syntax;

/** The outcome of matching one line against a command tree. */
public sealed interface MatchResult<C> {

    /** Column the match reached: the failure point, or the end of the line when it matched. */
    int column();

    /** A complete command: run {@code action} with {@code args}. */
    record Matched<C>(Action<C> action, Args args, int column) implements MatchResult<C> {
    }

    /** Why the line is not a command of this tree, where, and the IOS message for it. */
    record Failed<C>(Failure failure, int column, String message) implements MatchResult<C> {
    }

    enum Failure {
        /** A word matches nothing here: {@code % Invalid input detected at '^' marker.} */
        INVALID,
        /** The line ends before the command is complete: {@code % Incomplete command.} */
        INCOMPLETE,
        /** A word abbreviates more than one keyword: {@code % Ambiguous command:  "..."} */
        AMBIGUOUS
    }
}
