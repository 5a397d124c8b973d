package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line into words. IOS has no quoting in the commands we accept: whitespace separates. */
public final class Tokenizer {
    private Tokenizer() {
    }

    public static List<Token> tokenize(String line) {
        List<Token> out = new ArrayList<>(8);
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !isSpace(line.charAt(i))) {
                i++;
            }
            out.add(new Token(line.substring(start, i), start + 1));
        }
        return out;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
    }
}
