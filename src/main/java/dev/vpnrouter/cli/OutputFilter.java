package dev.vpnrouter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The output modifiers of a show command: {@code | include}, {@code | exclude}, {@code | begin},
 * {@code | section}, {@code | count}. The expression is an IOS regular expression: Java's syntax, where
 * {@code _} also matches a delimiter (start or end of line, space, comma, braces, parentheses) as on IOS, and
 * itself (so {@code | include current_peer} works as people type it).
 */
record OutputFilter(Kind kind, Pattern pattern) {
    enum Kind { INCLUDE, EXCLUDE, BEGIN, SECTION, COUNT }

    /** Null when {@code regex} is not a valid expression. */
    static OutputFilter of(Kind kind, String regex) {
        try {
            return new OutputFilter(kind, Pattern.compile(iosToJava(regex)));
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    static String iosToJava(String regex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                sb.append(c).append(regex.charAt(++i));
            } else if (c == '_') {
                sb.append("(?:_|^|$|[\\s,{}()])");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    String apply(String output) {
        List<String> lines = output.lines().toList();
        List<String> kept = new ArrayList<>();
        switch (kind) {
            case INCLUDE -> lines.stream().filter(this::matches).forEach(kept::add);
            case EXCLUDE -> lines.stream().filter(l -> !matches(l)).forEach(kept::add);
            case BEGIN -> {
                boolean on = false;
                for (String l : lines) {
                    on = on || matches(l);
                    if (on) {
                        kept.add(l);
                    }
                }
            }
            case SECTION -> {
                // A section is a line at the left margin and the indented lines after it; it is kept whole when
                // its header, or any of its lines, matches.
                List<String> section = new ArrayList<>();
                boolean hit = false;
                for (String l : lines) {
                    boolean header = !l.isEmpty() && !Character.isWhitespace(l.charAt(0));
                    if (header) {
                        if (hit) {
                            kept.addAll(section);
                        }
                        section.clear();
                        hit = false;
                    }
                    section.add(l);
                    hit = hit || (!l.isBlank() && matches(l));
                }
                if (hit) {
                    kept.addAll(section);
                }
            }
            case COUNT -> {
                return "Number of lines which match regexp = " + lines.stream().filter(this::matches).count() + "\n";
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : kept) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private boolean matches(String line) {
        return pattern.matcher(line).find();
    }
}
