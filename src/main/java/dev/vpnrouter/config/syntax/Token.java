package dev.vpnrouter.config.syntax;

/** One whitespace-separated word of a command line and its 1-based column. */
public record Token(String text, int column) {
    /** Column just past the last character of this token. */
    public int end() {
        return column + text.length();
    }
}
