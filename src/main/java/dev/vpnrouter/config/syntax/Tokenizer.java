package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a command line into words. IOS has no quoting in the commands we accept: whitespace separates. Works on
 * the line's characters in one pass, noting whether a word needs lower-casing, because it runs for every line
 * before the JIT has compiled anything (a 50,000-line file is read in well under a second from a cold start).
 */
public final class Tokenizer {
    private Tokenizer() {
    }

    public static List<Token> tokenize(String line) {
        char[] cs = line.toCharArray();
        List<Token> out = new ArrayList<>(8);
        int n = cs.length;
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(cs[i])) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            boolean upper = false;
            while (i < n && !isSpace(cs[i])) {
                char c = cs[i];
                upper |= c >= 'A' && c <= 'Z' || c > 127;
                i++;
            }
            String word = new String(cs, start, i - start);
            out.add(new Token(word, start + 1, upper ? word.toLowerCase(Locale.ROOT) : word));
        }
        return out;
    }

    /** {@code s} from {@code from} on, less trailing blanks ({@link #isSpace}: what the tokenizer skips, no more). */
    public static String trimEnd(String s, int from) {
        int to = s.length();
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /** The blanks between words: space, tab, CR, form feed, vertical tab. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
    }
}
