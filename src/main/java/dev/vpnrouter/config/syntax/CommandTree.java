package dev.vpnrouter.config.syntax;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table-driven IOS command tree for one mode. Commands are defined by {@link SyntaxPattern patterns}; a line is
 * matched word by word: a keyword matches when the word equals it or is a prefix of no other keyword at that
 * point (IOS abbreviations), otherwise the typed arguments are tried in definition order.
 *
 * <p>Failures carry the IOS message and column: the caret goes under the first character that matches nothing
 * (for a misspelt keyword, the first character past the longest keyword prefix it shares).
 *
 * <p>Patterns may use {@link #fragment fragments}: a sub-pattern (an ACL address, a port operator, an AAA method)
 * matched greedily as one argument. Fragments keep the grammar small where IOS syntax multiplies (an extended ACL
 * line would otherwise expand to over a thousand paths).
 */
public final class CommandTree<C> {
    public static final String INVALID = "% Invalid input detected at '^' marker.";
    public static final String INCOMPLETE = "% Incomplete command.";

    private final CommandNode<C> root = CommandNode.root();
    private final Map<String, ArgType> types;

    public CommandTree() {
        this(new HashMap<>());
    }

    /** A tree whose patterns may also name the given argument types (fragments shared between trees). */
    public CommandTree(Map<String, ArgType> types) {
        this.types = types;
    }

    /** Adds every command {@code pattern} describes; grammar conflicts throw {@link IllegalStateException}. */
    public CommandTree<C> define(String pattern, Action<C> action) {
        for (List<SyntaxPattern.Term> path : SyntaxPattern.expand(pattern, types)) {
            CommandNode<C> node = root;
            for (SyntaxPattern.Term term : path) {
                node = node.child(term);
            }
            if (node == root) {
                throw new IllegalArgumentException("empty pattern");
            }
            if (node.action != null && node.action != action) {
                throw new IllegalStateException("two actions for one command in: " + pattern);
            }
            node.action = action;
        }
        return this;
    }

    /**
     * A pattern usable as an argument type (register it in the {@code types} map under a name, e.g.
     * {@code ADDR}). It matches the longest run of words the pattern accepts and yields its captures as
     * {@link Args}; its own patterns may name {@code types} too.
     */
    public static ArgType fragment(String id, String pattern, Map<String, ArgType> types) {
        CommandNode<Object> root = CommandNode.root();
        Action<Object> end = (c, a) -> { };
        for (List<SyntaxPattern.Term> path : SyntaxPattern.expand(pattern, types)) {
            CommandNode<Object> node = root;
            for (SyntaxPattern.Term term : path) {
                node = node.child(term);
            }
            node.action = end;
        }
        return new ArgType() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Parsed parse(List<Token> tokens, int index, String line) {
                Walk<Object> w = walk(root, tokens, index, line, true);
                return w.failure != null ? null : new Parsed(w.args, w.index - index, null);
            }

            @Override
            public MatchResult.Failed<?> explain(List<Token> tokens, int index, String line) {
                return walk(root, tokens, index, line, true).failure;
            }

            @Override
            public String toString() {
                return id;
            }
        };
    }

    public MatchResult<C> match(String line) {
        return match(Tokenizer.tokenize(line), line);
    }

    /** Matches already tokenized {@code line} (not empty). */
    public MatchResult<C> match(List<Token> tokens, String line) {
        if (tokens.isEmpty()) {
            return new MatchResult.Failed<>(MatchResult.Failure.INCOMPLETE, 1, INCOMPLETE);
        }
        Walk<C> w = walk(root, tokens, 0, line, false);
        if (w.failure != null) {
            @SuppressWarnings("unchecked")
            MatchResult<C> f = (MatchResult<C>) w.failure;
            return f;
        }
        return new MatchResult.Matched<>(w.node.action, w.args, tokens.getLast().end() + 1);
    }

    /** Where a walk stopped: the node, the next token index and the captures, or why it failed. */
    private record Walk<C>(CommandNode<C> node, int index, Args args, MatchResult.Failed<?> failure) {
    }

    /**
     * Walks from {@code start}. A full walk must use every token and end on a command; a prefix walk (a fragment)
     * stops at the first word it cannot take, provided it stands on a complete fragment there.
     */
    private static <C> Walk<C> walk(CommandNode<C> root, List<Token> tokens, int start, String line, boolean prefix) {
        CommandNode<C> node = root;
        Args args = new Args(tokens.get(Math.min(start, tokens.size() - 1)).column());
        int i = start;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            String lower = token.lower();
            CommandNode<C> keyword = null;
            int prefixes = 0;
            for (CommandNode<C> k : node.keywordsStartingWith(lower.charAt(0))) {
                if (k.keyword.equals(lower)) {
                    keyword = k;
                    prefixes = 1;
                    break;
                }
                if (k.keyword.startsWith(lower)) {
                    keyword = k;
                    prefixes++;
                }
            }
            if (prefixes > 1) {
                String typed = line.substring(tokens.getFirst().column() - 1, token.end() - 1);
                return failed(MatchResult.Failure.AMBIGUOUS, token.column(), "% Ambiguous command: \"" + typed + "\"");
            }
            if (keyword != null) {
                if (keyword.capture != null) {
                    args.add(keyword.capture, keyword.keyword, token.column());
                }
                args.appendCanonical(keyword.keyword);
                node = keyword;
                i++;
                continue;
            }
            CommandNode<C> next = null;
            ArgType.Parsed parsed = null;
            for (CommandNode<C> a : node.arguments) {
                parsed = a.type.parse(tokens, i, line);
                if (parsed != null) {
                    next = a;
                    break;
                }
            }
            if (next == null && node.repeat) {
                parsed = node.type.parse(tokens, i, line);
                if (parsed != null) {
                    next = node;
                }
            }
            if (next == null) {
                if (prefix && node.action != null) {
                    break;
                }
                return failed(tokens, i, line, node, lower);
            }
            args.add(next.name, parsed.value(), token.column());
            args.appendCanonical(parsed.canonical() != null ? parsed.canonical() : parsed.value());
            node = next;
            i += parsed.consumed();
        }
        if (node.action == null) {
            return failed(MatchResult.Failure.INCOMPLETE, tokens.getLast().end() + 1, INCOMPLETE);
        }
        return new Walk<>(node, i, args, null);
    }

    /** Nothing matched {@code tokens[i]}: the furthest explanation among keywords and arguments wins. */
    private static <C> Walk<C> failed(List<Token> tokens, int i, String line, CommandNode<C> node, String lower) {
        MatchResult.Failed<?> best = new MatchResult.Failed<>(MatchResult.Failure.INVALID,
                tokens.get(i).column() + sharedPrefix(lower, node), INVALID);
        List<CommandNode<C>> candidates = new java.util.ArrayList<>(node.arguments);
        if (node.repeat) {
            candidates.add(node);
        }
        for (CommandNode<C> a : candidates) {
            MatchResult.Failed<?> f = a.type.explain(tokens, i, line);
            if (f != null && f.column() > best.column()) {
                best = f;
            }
        }
        return new Walk<>(node, i, null, best);
    }

    private static <C> Walk<C> failed(MatchResult.Failure failure, int column, String message) {
        return new Walk<>(null, 0, null, new MatchResult.Failed<>(failure, column, message));
    }

    /** How many leading characters of {@code word} some keyword at {@code node} shares: where IOS puts its caret. */
    private static int sharedPrefix(String word, CommandNode<?> node) {
        int best = 0;
        for (CommandNode<?> k : node.keywords) {
            int n = Math.min(word.length(), k.keyword.length());
            int j = 0;
            while (j < n && word.charAt(j) == k.keyword.charAt(j)) {
                j++;
            }
            best = Math.max(best, j);
        }
        return best;
    }
}
