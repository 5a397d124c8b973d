package dev.vpnrouter.config.syntax;

/**
 * Text between two delimiters, as in {@code banner motd ^C ... ^C}. The delimiter is the first character after
 * the keyword, or the two characters {@code ^C} as {@code show running-config} prints them. When the closing
 * delimiter is not on the same line, {@link #closed()} is false and the parser appends following lines.
 */
public record DelimitedText(String delimiter, String content, boolean closed) {

    /** Continues an open text with one more line; closes it when the line holds the delimiter. */
    public DelimitedText append(String line) {
        int end = line.indexOf(delimiter);
        if (end < 0) {
            return new DelimitedText(delimiter, content + "\n" + line, false);
        }
        return new DelimitedText(delimiter, content + "\n" + line.substring(0, end), true);
    }

    /**
     * The text between delimiters for writing it back: {@code ^C...^C} as IOS prints it, unless the text itself
     * contains {@code ^C}; then the first punctuation character the text does not contain, so that reading what
     * was written gives the same text.
     */
    public static String wrap(String content) {
        if (!content.contains("^C")) {
            return "^C" + content + "^C";
        }
        for (char c = '!'; c < Character.MAX_VALUE; c++) {
            if (!Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && c != '^' && c != '!' && c != '"'
                    && content.indexOf(c) < 0) {
                return c + content + c;
            }
        }
        throw new IllegalArgumentException("no delimiter left for a text that uses every character");
    }

    /**
     * Opens a text at the start of {@code rest} (the delimiter is its first character or {@code ^C}); null when
     * that character is a letter or digit. IOS would take any character, but then {@code banner motd ^C} typed in
     * a client configuration group would be that group's banner delimited by 'm' instead of the global banner.
     */
    static DelimitedText open(String rest) {
        if (Character.isLetterOrDigit(rest.charAt(0))) {
            return null;
        }
        String delimiter = rest.startsWith("^C") ? "^C" : rest.substring(0, 1);
        String after = rest.substring(delimiter.length());
        int end = after.indexOf(delimiter);
        if (end < 0) {
            return new DelimitedText(delimiter, after, false);
        }
        return new DelimitedText(delimiter, after.substring(0, end), true);
    }
}
