package dev.vpnrouter.config.syntax;

import java.util.List;
import java.util.Locale;

/**
 * A table-driven IOS command tree for one mode. Commands are defined by {@link SyntaxPattern patterns}; a line is
 * matched word by word: a keyword matches when the word equals it or is a prefix of no other keyword at that
 * point (IOS abbreviations), otherwise the typed arguments are tried in definition order.
 *
 * <p>Failures carry the IOS message and column: the caret goes under the first character that matches nothing
 * (for a misspelt keyword, the first character past the longest keyword prefix it shares).
 */
public final class CommandTree<C> {
    public static final String INVALID = "% Invalid input detected at '^' marker.";
    public static final String INCOMPLETE = "% Incomplete command.";

    private final CommandNode<C> root = CommandNode.root();

    /** Adds every command {@code pattern} describes; grammar conflicts throw {@link IllegalStateException}. */
    public CommandTree<C> define(String pattern, Action<C> action) {
        for (List<SyntaxPattern.Term> path : SyntaxPattern.expand(pattern)) {
            CommandNode<C> node = root;
            for (SyntaxPattern.Term term : path) {
                node = node.child(term);
            }
            if (node.action != null && node.action != action) {
                throw new IllegalStateException("two actions for one command in: " + pattern);
            }
            if (node == root) {
                throw new IllegalArgumentException("empty pattern");
            }
            node.action = action;
        }
        return this;
    }

    public MatchResult<C> match(String line) {
        return match(Tokenizer.tokenize(line), line);
    }

    /** Matches already tokenized {@code line} (not empty). */
    public MatchResult<C> match(List<Token> tokens, String line) {
        if (tokens.isEmpty()) {
            return new MatchResult.Failed<>(MatchResult.Failure.INCOMPLETE, 1, INCOMPLETE);
        }
        CommandNode<C> node = root;
        Args args = new Args(tokens.getFirst().column());
        int i = 0;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            String lower = token.text().toLowerCase(Locale.ROOT);
            CommandNode<C> keyword = null;
            int prefixes = 0;
            for (CommandNode<C> k : node.keywords) {
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
                return new MatchResult.Failed<>(MatchResult.Failure.AMBIGUOUS, token.column(),
                        "% Ambiguous command: \"" + typed + "\"");
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
                return new MatchResult.Failed<>(MatchResult.Failure.INVALID,
                        token.column() + sharedPrefix(lower, node), INVALID);
            }
            args.add(next.name, parsed.value(), token.column());
            args.appendCanonical(parsed.canonical());
            node = next;
            i += parsed.consumed();
        }
        int end = tokens.getLast().end() + 1;
        if (node.action == null) {
            return new MatchResult.Failed<>(MatchResult.Failure.INCOMPLETE, end, INCOMPLETE);
        }
        return new MatchResult.Matched<>(node.action, args, end);
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
