package dev.vpnrouter.config.syntax;

/**
 * One whitespace-separated word of a command line, its 1-based column and its lower-case form (the same string
 * when the word has no upper-case letters, as most configuration words do) for keyword matching.
 */
public record Token(String text, int column, String lower) {
    public Token(String text, int column) {
        this(text, column, text.toLowerCase(java.util.Locale.ROOT));
    }

    /** Column just past the last character of this token. */
    public int end() {
        return column + text.length();
    }
}
