package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exec command tree: keywords with IOS abbreviations (a unique prefix is enough, an exact word wins), typed
 * arguments, a help text on every node ({@code ?}) and a privilege level (commands above the session's level do
 * not exist for it, as on IOS). Pure: a line in, a {@link Match} out.
 *
 * <p>Commands are defined by patterns such as {@code "show crypto ipsec sa peer A.B.C.D:peer"}: keywords, and
 * arguments written as {@code TYPE:name} with the types {@code A.B.C.D}, {@code WORD}, {@code <LO-HI>} and
 * {@code LINE} (the rest of the line, spaces included).
 */
final class ExecTree<C> {
    /** What a complete command does: output text. */
    @FunctionalInterface
    interface Action<C> {
        String run(C context, Map<String, String> args);
    }

    static final String INVALID = "% Invalid input detected at '^' marker.";
    static final String INCOMPLETE = "% Incomplete command.";

    private final Node<C> root = new Node<>(null, null, 0, 0);

    static final class Node<C> {
        final String keyword; // null for an argument
        final String argType; // A.B.C.D, WORD, LINE, <lo-hi>; null for a keyword
        final String argName;
        final long lo;
        final long hi;
        String help = "";
        int privilege = Integer.MAX_VALUE;
        final List<Node<C>> children = new ArrayList<>();
        Action<C> action;
        int actionPrivilege;

        Node(String keyword, String argType, long lo, long hi) {
            this.keyword = keyword;
            this.argType = argType;
            this.argName = null;
            this.lo = lo;
            this.hi = hi;
        }

        Node(String argType, String argName, long lo, long hi, boolean arg) {
            this.keyword = null;
            this.argType = argType;
            this.argName = argName;
            this.lo = lo;
            this.hi = hi;
        }

        String label() {
            return keyword != null ? keyword : argType;
        }

        boolean same(Node<C> o) {
            return keyword != null ? keyword.equals(o.keyword) : o.keyword == null && argType.equals(o.argType)
                    && argName.equals(o.argName);
        }

        /** The argument's value for {@code word}, or null when it does not fit the type. */
        String accept(String word) {
            return switch (argType) {
                case "A.B.C.D" -> Ipv4.tryParse(word) == null ? null : word;
                case "WORD", "LINE" -> word;
                default -> {
                    try {
                        long v = Long.parseLong(word);
                        yield v >= lo && v <= hi ? word : null;
                    } catch (NumberFormatException e) {
                        yield null;
                    }
                }
            };
        }
    }

    /** Adds a command; {@code privilege} 1 is user EXEC, 15 privileged EXEC. */
    ExecTree<C> define(int privilege, String pattern, Action<C> action) {
        Node<C> node = root;
        root.privilege = Math.min(root.privilege, privilege);
        for (String term : pattern.trim().split("\\s+")) {
            Node<C> wanted = parseTerm(term);
            Node<C> existing = null;
            for (Node<C> c : node.children) {
                if (c.same(wanted)) {
                    existing = c;
                }
            }
            if (existing == null) {
                node.children.add(wanted);
                existing = wanted;
            }
            existing.privilege = Math.min(existing.privilege, privilege);
            node = existing;
        }
        if (node.action != null) {
            throw new IllegalStateException("two actions for " + pattern);
        }
        node.action = action;
        node.actionPrivilege = privilege;
        return this;
    }

    /** Sets the help text of the node a path (keywords and argument types, as in the patterns) leads to. */
    ExecTree<C> help(String path, String help) {
        Node<C> node = root;
        for (String term : path.trim().split("\\s+")) {
            Node<C> next = null;
            for (Node<C> c : node.children) {
                String label = term.contains(":") ? term.substring(0, term.indexOf(':')) : term;
                if (c.label().equals(label)) {
                    next = c;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("no node " + term + " in " + path);
            }
            node = next;
        }
        node.help = help;
        return this;
    }

    private static <C> Node<C> parseTerm(String term) {
        int colon = term.indexOf(':');
        if (colon < 0) {
            return new Node<>(term, null, 0, 0);
        }
        String type = term.substring(0, colon);
        String name = term.substring(colon + 1);
        if (type.startsWith("<")) {
            String[] range = type.substring(1, type.length() - 1).split("-");
            return new Node<>(type, name, Long.parseLong(range[0]), Long.parseLong(range[1]), true);
        }
        if (!type.equals("A.B.C.D") && !type.equals("WORD") && !type.equals("LINE")) {
            throw new IllegalArgumentException("unknown argument type " + type);
        }
        return new Node<>(type, name, 0, 0, true);
    }

    // ------------------------------------------------------------------ matching

    /** A word of the input line and the column it starts at. */
    record Token(String text, int column) {
    }

    static List<Token> tokens(String line) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(new Token(line.substring(start, i), start));
            }
        }
        return out;
    }

    /** The outcome of matching a line. */
    sealed interface Match<C> {
        record Ok<C>(Action<C> action, Map<String, String> args, List<String> words) implements Match<C> {
        }

        /** {@code column}: where the caret goes. */
        record Invalid<C>(int column) implements Match<C> {
        }

        record Incomplete<C>() implements Match<C> {
        }

        record Ambiguous<C>(String typed) implements Match<C> {
        }
    }

    /** Matches a whole line at {@code privilege}. */
    Match<C> match(String line, int privilege) {
        Walk<C> w = walk(line, tokens(line), privilege, false);
        if (w.failure != null) {
            return w.failure;
        }
        if (w.node.action == null || w.node.actionPrivilege > privilege) {
            return new Match.Incomplete<>();
        }
        return new Match.Ok<>(w.node.action, w.args, w.words);
    }

    private static final class Walk<C> {
        Node<C> node;
        final Map<String, String> args = new LinkedHashMap<>();
        final List<String> words = new ArrayList<>();
        Match<C> failure;
        boolean consumedRest;
    }

    /** Walks the tokens from the root; {@code stopBeforeLast} leaves the last token unmatched (for help/complete). */
    private Walk<C> walk(String line, List<Token> tokens, int privilege, boolean stopBeforeLast) {
        Walk<C> w = new Walk<>();
        w.node = root;
        int end = stopBeforeLast ? tokens.size() - 1 : tokens.size();
        for (int i = 0; i < end; i++) {
            Token t = tokens.get(i);
            Node<C> next = step(w.node, t.text(), privilege, line, w);
            if (w.failure != null) {
                return w;
            }
            if (next == null) {
                w.failure = new Match.Invalid<>(t.column() + mismatchOffset(w.node, t.text(), privilege));
                return w;
            }
            if ("LINE".equals(next.argType)) {
                // The rest of the line, as typed.
                w.args.put(next.argName, line.substring(t.column()).strip());
                w.words.add(next.argName);
                w.node = next;
                w.consumedRest = true;
                return w;
            }
            if (next.keyword != null) {
                w.words.add(next.keyword);
            } else {
                w.args.put(next.argName, t.text());
                w.words.add(next.argName);
            }
            w.node = next;
        }
        return w;
    }

    private Node<C> step(Node<C> node, String word, int privilege, String line, Walk<C> w) {
        String lower = word.toLowerCase(Locale.ROOT);
        List<Node<C>> prefixed = new ArrayList<>();
        for (Node<C> c : node.children) {
            if (c.keyword == null || c.privilege > privilege) {
                continue;
            }
            if (c.keyword.equals(lower)) {
                return c;
            }
            if (c.keyword.startsWith(lower)) {
                prefixed.add(c);
            }
        }
        if (prefixed.size() == 1) {
            return prefixed.getFirst();
        }
        if (prefixed.size() > 1) {
            w.failure = new Match.Ambiguous<>(line.strip());
            return null;
        }
        for (Node<C> c : node.children) {
            if (c.keyword == null && c.privilege <= privilege && c.accept(word) != null) {
                return c;
            }
        }
        return null;
    }

    /** How far into {@code word} a keyword of {@code node} matches: the caret goes on the first character past. */
    private int mismatchOffset(Node<C> node, String word, int privilege) {
        String lower = word.toLowerCase(Locale.ROOT);
        int best = 0;
        for (Node<C> c : node.children) {
            if (c.keyword == null || c.privilege > privilege) {
                continue;
            }
            int n = 0;
            while (n < lower.length() && n < c.keyword.length() && lower.charAt(n) == c.keyword.charAt(n)) {
                n++;
            }
            best = Math.max(best, n);
        }
        return best;
    }

    // ------------------------------------------------------------------ help and completion

    /** One line of {@code ?} help: the word (or argument type, or {@code <cr>}) and what it means. */
    record HelpEntry(String word, String help) {
    }

    /** The outcome of {@code ?}. */
    sealed interface Help<C> {
        /** After a space: what may come next. */
        record Next<C>(List<HelpEntry> entries) implements Help<C> {
        }

        /** In the middle of a word: the keywords it may abbreviate. */
        record Words<C>(List<String> words) implements Help<C> {
        }

        record Failed<C>(Match<C> failure) implements Help<C> {
        }
    }

    /** {@code ?} typed after {@code partial}. */
    Help<C> help(String partial, int privilege) {
        List<Token> tokens = tokens(partial);
        boolean atWordStart = partial.isEmpty() || Character.isWhitespace(partial.charAt(partial.length() - 1));
        Walk<C> w = walk(partial, tokens, privilege, !atWordStart && !tokens.isEmpty());
        if (w.failure != null) {
            return new Help.Failed<>(w.failure);
        }
        if (w.consumedRest) {
            return new Help.Next<>(w.node.action != null ? List.of(new HelpEntry("<cr>", "")) : List.of());
        }
        if (!atWordStart) {
            String lower = tokens.getLast().text().toLowerCase(Locale.ROOT);
            List<String> words = new ArrayList<>();
            for (Node<C> c : w.node.children) {
                if (c.privilege > privilege) {
                    continue;
                }
                if (c.keyword != null && c.keyword.startsWith(lower)) {
                    words.add(c.keyword);
                }
            }
            if (words.isEmpty()) {
                for (Node<C> c : w.node.children) {
                    if (c.keyword == null && c.privilege <= privilege && c.accept(tokens.getLast().text()) != null) {
                        words.add(c.argType);
                    }
                }
            }
            java.util.Collections.sort(words);
            if (words.isEmpty()) {
                return new Help.Failed<>(new Match.Invalid<>(tokens.getLast().column()
                        + mismatchOffset(w.node, tokens.getLast().text(), privilege)));
            }
            return new Help.Words<>(words);
        }
        List<HelpEntry> entries = new ArrayList<>();
        List<Node<C>> sorted = new ArrayList<>(w.node.children);
        // IOS lists arguments first, then keywords alphabetically.
        sorted.sort((a, b) -> a.keyword == null && b.keyword == null ? 0 : a.keyword == null ? -1
                : b.keyword == null ? 1 : a.keyword.compareTo(b.keyword));
        for (Node<C> c : sorted) {
            if (c.privilege <= privilege) {
                entries.add(new HelpEntry(c.label(), c.help));
            }
        }
        if (w.node != root && w.node.action != null && w.node.actionPrivilege <= privilege) {
            entries.add(new HelpEntry("<cr>", ""));
        }
        return new Help.Next<>(entries);
    }

    /** Tab: the line with its last word completed when exactly one keyword fits it; otherwise null. */
    String complete(String partial, int privilege) {
        List<Token> tokens = tokens(partial);
        if (tokens.isEmpty() || Character.isWhitespace(partial.charAt(partial.length() - 1))) {
            return null;
        }
        Walk<C> w = walk(partial, tokens, privilege, true);
        if (w.failure != null || w.consumedRest) {
            return null;
        }
        Token last = tokens.getLast();
        String lower = last.text().toLowerCase(Locale.ROOT);
        String only = null;
        int count = 0;
        for (Node<C> c : w.node.children) {
            if (c.keyword != null && c.privilege <= privilege && c.keyword.startsWith(lower)) {
                if (c.keyword.equals(lower)) {
                    only = c.keyword;
                    count = 1;
                    break;
                }
                only = c.keyword;
                count++;
            }
        }
        if (count != 1) {
            return null;
        }
        return partial.substring(0, last.column()) + only + " ";
    }
}
