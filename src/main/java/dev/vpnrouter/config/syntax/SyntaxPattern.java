package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * The little language command patterns are written in, expanded into the linear paths a command tree stores:
 * <pre>
 *   keyword            literal, matched by any unambiguous prefix (case-insensitive)
 *   keyword:name       literal whose presence is captured under name
 *   TYPE:name          typed argument (WORD, LINE, TEXT, IP, MASK, PORT, IFNAME, INT(lo-hi)); TYPE:name+ repeats
 *   [ ... ]            optional
 *   { a | b c }:name   alternatives; with :name the first keyword of the chosen one is captured
 * </pre>
 * Example: {@code crypto isakmp key WORD:key address IP:address [MASK:mask] [no-xauth:noXauth]}.
 */
final class SyntaxPattern {
    private SyntaxPattern() {
    }

    /** One element of an expanded path. Exactly one of keyword and type is set. */
    record Term(String keyword, String capture, ArgType type, String name, boolean repeat) {
        Term withCapture(String c) {
            return new Term(keyword, c, type, name, repeat);
        }
    }

    /** Every linear path the pattern allows; {@code types} adds argument types (fragments) to the built-in ones. */
    static List<List<Term>> expand(String pattern, java.util.Map<String, ArgType> types) {
        Parser p = new Parser(lex(pattern), pattern, types);
        List<List<Term>> paths = p.sequence();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unbalanced pattern: " + pattern);
        }
        return paths;
    }

    private static List<String> lex(String pattern) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '[' || c == ']' || c == '{' || c == '|') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '}') {
                int start = i++;
                if (i < n && pattern.charAt(i) == ':') {
                    i++;
                    while (i < n && !Character.isWhitespace(pattern.charAt(i))
                            && "[]{}|".indexOf(pattern.charAt(i)) < 0) {
                        i++;
                    }
                }
                out.add(pattern.substring(start, i));
            } else {
                int start = i;
                int depth = 0;
                while (i < n) {
                    char d = pattern.charAt(i);
                    if (d == '(') {
                        depth++;
                    } else if (d == ')') {
                        depth--;
                    } else if (depth == 0 && (Character.isWhitespace(d) || "[]{}|".indexOf(d) >= 0)) {
                        break;
                    }
                    i++;
                }
                out.add(pattern.substring(start, i));
            }
        }
        return out;
    }

    private static final class Parser {
        final List<String> tokens;
        final String pattern;
        final java.util.Map<String, ArgType> types;
        int pos;

        Parser(List<String> tokens, String pattern, java.util.Map<String, ArgType> types) {
            this.tokens = tokens;
            this.pattern = pattern;
            this.types = types;
        }

        List<List<Term>> sequence() {
            List<List<Term>> result = new ArrayList<>();
            result.add(List.of());
            while (pos < tokens.size()) {
                String t = tokens.get(pos);
                if (t.equals("]") || t.equals("|") || t.startsWith("}")) {
                    break;
                }
                result = product(result, element());
            }
            return result;
        }

        List<List<Term>> element() {
            String t = tokens.get(pos++);
            if (t.equals("[")) {
                List<List<Term>> inner = sequence();
                expect("]");
                List<List<Term>> out = new ArrayList<>();
                out.add(List.of());
                out.addAll(inner);
                return out;
            }
            if (t.equals("{")) {
                List<List<Term>> out = new ArrayList<>(sequence());
                while (pos < tokens.size() && tokens.get(pos).equals("|")) {
                    pos++;
                    out.addAll(sequence());
                }
                if (pos >= tokens.size() || !tokens.get(pos).startsWith("}")) {
                    throw new IllegalArgumentException("missing } in " + pattern);
                }
                String close = tokens.get(pos++);
                if (close.length() > 1) {
                    String capture = close.substring(2);
                    List<List<Term>> captured = new ArrayList<>();
                    for (List<Term> path : out) {
                        if (path.isEmpty() || path.getFirst().keyword() == null) {
                            throw new IllegalArgumentException("captured alternative must start with a keyword: "
                                    + pattern);
                        }
                        List<Term> copy = new ArrayList<>(path);
                        copy.set(0, path.getFirst().withCapture(capture));
                        captured.add(List.copyOf(copy));
                    }
                    return captured;
                }
                return out;
            }
            return List.of(List.of(term(t)));
        }

        private Term term(String t) {
            int colon = t.indexOf(':');
            if (Character.isUpperCase(t.charAt(0))) {
                if (colon < 0) {
                    throw new IllegalArgumentException("argument without a name: " + t + " in " + pattern);
                }
                String name = t.substring(colon + 1);
                boolean repeat = name.endsWith("+");
                if (repeat) {
                    name = name.substring(0, name.length() - 1);
                }
                String type = t.substring(0, colon);
                ArgType custom = types.get(type);
                return new Term(null, null, custom != null ? custom : ArgTypes.byName(type), name, repeat);
            }
            if (colon >= 0) {
                return new Term(t.substring(0, colon), t.substring(colon + 1), null, null, false);
            }
            return new Term(t, null, null, null, false);
        }

        private void expect(String s) {
            if (pos >= tokens.size() || !tokens.get(pos).equals(s)) {
                throw new IllegalArgumentException("expected " + s + " in " + pattern);
            }
            pos++;
        }

        private static List<List<Term>> product(List<List<Term>> left, List<List<Term>> right) {
            List<List<Term>> out = new ArrayList<>(left.size() * right.size());
            for (List<Term> l : left) {
                for (List<Term> r : right) {
                    List<Term> joined = new ArrayList<>(l.size() + r.size());
                    joined.addAll(l);
                    joined.addAll(r);
                    out.add(joined);
                }
            }
            return out;
        }
    }
}
