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
record OutputFilter(Kind kind, Pattern pattern, long budget) {
    enum Kind { INCLUDE, EXCLUDE, BEGIN, SECTION, COUNT }

    /**
     * How many characters the expression may read over the whole output before the filter gives up: a budget
     * of work rather than of wall time, so the CLI stays sans-IO and a result never depends on machine load.
     * Ordinary filters over the largest show output read a few million; {@code .*.*.*.*.*.*.*.*.*.*Z} on one
     * line of 80 reads billions, and would hold the router's loop for minutes.
     */
    static final long DEFAULT_BUDGET = 50_000_000L;

    /** What the command prints when its filter ran out of budget (IOS has no such case; ours says what happened). */
    static final String TIMED_OUT = "% Filter timed out\n";

    OutputFilter(Kind kind, Pattern pattern) {
        this(kind, pattern, DEFAULT_BUDGET);
    }

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

    /** The filtered output, or {@link #TIMED_OUT} when the expression used up its budget. */
    String apply(String output) {
        Budget budget = new Budget(this.budget);
        try {
            return filter(output, budget);
        } catch (Budget.Exhausted e) {
            return TIMED_OUT;
        }
    }

    private String filter(String output, Budget budget) {
        List<String> lines = output.lines().toList();
        List<String> kept = new ArrayList<>();
        switch (kind) {
            case INCLUDE -> lines.stream().filter(l -> matches(l, budget)).forEach(kept::add);
            case EXCLUDE -> lines.stream().filter(l -> !matches(l, budget)).forEach(kept::add);
            case BEGIN -> {
                boolean on = false;
                for (String l : lines) {
                    on = on || matches(l, budget);
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
                    hit = hit || (!l.isBlank() && matches(l, budget));
                }
                if (hit) {
                    kept.addAll(section);
                }
            }
            case COUNT -> {
                return "Number of lines which match regexp = " + lines.stream().filter(l -> matches(l, budget)).count()
                        + "\n";
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : kept) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private boolean matches(String line, Budget budget) {
        return pattern.matcher(budget.over(line)).find();
    }

    /** Characters the expression may still read; every read through {@link #over} spends one. */
    private static final class Budget {
        /** Thrown from inside the regex engine, which cannot be interrupted otherwise. */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private long left;

        Budget(long left) {
            this.left = left;
        }

        CharSequence over(String line) {
            return new CharSequence() {
                @Override
                public int length() {
                    return line.length();
                }

                @Override
                public char charAt(int index) {
                    if (--left < 0) {
                        throw new Exhausted();
                    }
                    return line.charAt(index);
                }

                @Override
                public CharSequence subSequence(int start, int end) {
                    return over(line.substring(start, end));
                }

                @Override
                public String toString() {
                    return line;
                }
            };
        }
    }
}
