package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table-driven IOS command tree for one mode, of the configuration language or of exec: the one engine that
 * matches lines, answers {@code ?} and completes on Tab. Commands are defined by {@link SyntaxPattern patterns}; a
 * line is matched word by word: a keyword matches when the word equals it or is a prefix of no other keyword at
 * that point (IOS abbreviations), otherwise the typed arguments are tried in definition order.
 *
 * <p>Failures carry the IOS message and column: the caret goes under the first character that matches nothing
 * (for a misspelt keyword, the first character past the longest keyword prefix it shares).
 *
 * <p>Each command has a privilege level: a session below it does not see the command at all (exec's user and
 * privileged levels); configuration commands are defined at level 0. Help texts are attached to keywords and
 * arguments by {@link #describe}; an argument without one shows its type's.
 *
 * <p>Patterns may use {@link #fragment fragments}: a sub-pattern (an ACL address, a port operator, an AAA method)
 * matched greedily as one argument. Fragments keep the grammar small where IOS syntax multiplies (an extended ACL
 * line would otherwise expand to over a thousand paths).
 */
public final class CommandTree<C> {
    public static final String INVALID = "% Invalid input detected at '^' marker.";
    public static final String INCOMPLETE = "% Incomplete command.";
    /** IOS quotes the line as typed after two spaces, in exec and configuration mode alike. */
    public static final String AMBIGUOUS = "% Ambiguous command:  \"";
    /** The level configuration commands are defined at: every session that may configure sees them. */
    public static final int ANY_LEVEL = 0;
    /** A level that sees every command (loading a file). */
    public static final int ALL_LEVELS = Integer.MAX_VALUE;

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
        return define(ANY_LEVEL, pattern, action);
    }

    /** Adds commands at a privilege level (exec: 1 user, 15 privileged). */
    public CommandTree<C> define(int privilege, String pattern, Action<C> action) {
        add(root, pattern, types, action, privilege);
        return this;
    }

    private static <C> void add(CommandNode<C> root, String pattern, Map<String, ArgType> types, Action<C> action,
                                int privilege) {
        for (List<SyntaxPattern.Term> path : SyntaxPattern.expand(pattern, types)) {
            CommandNode<C> node = root;
            for (SyntaxPattern.Term term : path) {
                node = node.child(term);
                node.privilege = Math.min(node.privilege, privilege);
            }
            if (node == root) {
                throw new IllegalArgumentException("empty pattern");
            }
            if (node.action != null && node.action != action) {
                throw new IllegalStateException("two actions for one command in: " + pattern);
            }
            node.action = action;
            node.actionPrivilege = privilege;
        }
    }

    /**
     * Sets the {@code ?} text of the nodes {@code path} leads to: keywords, and arguments by their placeholder
     * ({@code crypto isakmp policy <1-10000>}, {@code set peer A.B.C.D}). The same words after {@code no} get the
     * same text unless described themselves, as IOS shows. A path that leads nowhere is a grammar bug and throws.
     */
    public CommandTree<C> describe(String path, String help) {
        describe(root, path, help);
        return this;
    }

    static void describe(CommandNode<?> root, String path, String help) {
        List<CommandNode<?>> found = find(root, path);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no command " + path + " to describe");
        }
        found.forEach(n -> n.help = help);
        for (CommandNode<?> negated : find(root, "no " + path)) {
            if (negated.help == null) {
                negated.help = help;
            }
        }
    }

    /** Whether {@code path} (as {@link #describe} takes it) leads to some word of this tree. */
    public boolean defines(String path) {
        return !find(root, path).isEmpty();
    }

    private static List<CommandNode<?>> find(CommandNode<?> root, String path) {
        List<CommandNode<?>> at = List.of(root);
        for (String term : path.trim().split("\\s+")) {
            List<CommandNode<?>> next = new ArrayList<>();
            for (CommandNode<?> n : at) {
                for (CommandNode<?> k : n.keywords) {
                    if (k.keyword.equals(term)) {
                        next.add(k);
                    }
                }
                for (CommandNode<?> a : n.arguments) {
                    if (a.type.placeholder().equals(term) || a.type.id().equals(term)) {
                        next.add(a);
                    }
                }
            }
            at = next;
        }
        return at;
    }

    /**
     * The keyword and argument paths (as {@link #describe} takes them) that have no help text, for a test that
     * every command of a grammar is described; {@code under} limits it to one subtree (empty: all).
     */
    public List<String> undescribed(String under) {
        List<String> out = new ArrayList<>();
        for (CommandNode<?> start : under.isBlank() ? List.<CommandNode<?>>of(root) : find(root, under)) {
            undescribed(start, under.isBlank() ? "" : under.trim() + " ", out);
        }
        return out;
    }

    static void undescribed(CommandNode<?> node, String path, List<String> out) {
        List<CommandNode<?>> children = new ArrayList<>(node.keywords);
        children.addAll(node.arguments);
        for (CommandNode<?> c : children) {
            String p = path + c.label();
            // A fragment shows its own first words where it stands; those are what need describing.
            if (c.helpText().isEmpty() && !(c.type instanceof Fragment)) {
                out.add(p);
            }
            if (c.type instanceof Fragment f) {
                f.undescribed(p, out);
            }
            undescribed(c, p + " ", out);
        }
    }

    /**
     * A pattern usable as an argument type (register it in the {@code types} map under a name, e.g.
     * {@code ADDR}). It matches the longest run of words the pattern accepts and yields its captures as
     * {@link Args}; its own patterns may name {@code types} too.
     */
    public static Fragment fragment(String id, String pattern, Map<String, ArgType> types) {
        CommandNode<Object> root = CommandNode.root();
        add(root, pattern, types, (c, a) -> { }, ANY_LEVEL);
        return new Fragment(id, root);
    }

    public MatchResult<C> match(String line) {
        return match(Tokenizer.tokenize(line), line, ALL_LEVELS);
    }

    /** Matches a line for a session at privilege {@code level}. */
    public MatchResult<C> match(String line, int level) {
        return match(Tokenizer.tokenize(line), line, level);
    }

    /** Matches already tokenized {@code line}. */
    public MatchResult<C> match(List<Token> tokens, String line) {
        return match(tokens, line, ALL_LEVELS);
    }

    private MatchResult<C> match(List<Token> tokens, String line, int level) {
        if (tokens.isEmpty()) {
            return new MatchResult.Failed<>(MatchResult.Failure.INCOMPLETE, 1, INCOMPLETE);
        }
        Walk<C> w = walk(root, tokens, 0, line, Until.COMMAND, level);
        if (w.failure != null) {
            @SuppressWarnings("unchecked")
            MatchResult<C> f = (MatchResult<C>) w.failure;
            return f;
        }
        return new MatchResult.Matched<>(w.node.action, w.args, tokens.getLast().end() + 1);
    }

    // ------------------------------------------------------------------ help and completion

    /** {@code ?} typed after {@code partial}, for a session at {@code level}. */
    public Help help(String partial, int level) {
        List<Token> tokens = Tokenizer.tokenize(partial);
        boolean atWordStart = partial.isEmpty() || Tokenizer.isSpace(partial.charAt(partial.length() - 1));
        int walked = atWordStart ? tokens.size() : tokens.size() - 1;
        CommandNode<C> node = root;
        if (walked > 0) {
            Walk<C> w = walk(root, tokens.subList(0, walked), 0, partial, Until.HELP, level);
            if (w.failure != null) {
                return new Help.Failed(w.failure);
            }
            node = w.node;
            if (node.type != null && node.type.restOfLine()) {
                // Everything typed is the argument's: only the end of the line can follow.
                return atWordStart ? new Help.Next(node.runsAt(level) ? List.of(Help.Entry.CR) : List.of())
                        : new Help.Words(List.of(node.label()), false);
            }
        }
        return atWordStart ? next(node, level) : words(node, tokens, partial, level);
    }

    /** Tab after {@code partial}: the line with its last word completed, or null when no single keyword fits. */
    public String complete(String partial, int level) {
        return completion(partial, help(partial, level));
    }

    /** Tab after {@code partial}, given what {@code ?} would say there (possibly of several trees merged). */
    public static String completion(String partial, Help help) {
        return help instanceof Help.Words w && !partial.isBlank() ? w.completion(partial) : null;
    }

    private static <C> Help next(CommandNode<C> node, int level) {
        List<Help.Entry> entries = new ArrayList<>();
        for (CommandNode<?> a : arguments(node)) {
            if (a.visibleAt(level)) {
                if (a.type instanceof Fragment f) {
                    entries.addAll(((Help.Next) next(f.root, ALL_LEVELS)).entries());
                } else {
                    entries.add(new Help.Entry(Help.Entry.Kind.ARGUMENT, a.label(), a.helpText()));
                }
            }
        }
        for (CommandNode<?> k : node.keywords) {
            if (k.visibleAt(level)) {
                entries.add(new Help.Entry(Help.Entry.Kind.KEYWORD, k.keyword, k.helpText()));
            }
        }
        if (node.keyword != null || node.type != null) {
            if (node.runsAt(level)) {
                entries.add(Help.Entry.CR);
            }
        }
        return Help.merge(new Help.Next(entries));
    }

    private static <C> Help words(CommandNode<C> node, List<Token> tokens, String partial, int level) {
        Token last = tokens.getLast();
        List<String> keywords = new ArrayList<>();
        collectKeywords(node, last.lower(), level, keywords);
        if (!keywords.isEmpty()) {
            return Help.merge(new Help.Words(keywords, true));
        }
        List<String> placeholders = new ArrayList<>();
        for (CommandNode<?> a : arguments(node)) {
            if (a.visibleAt(level) && !(a.type instanceof Fragment)
                    && a.type.parse(tokens, tokens.size() - 1, partial) != null) {
                placeholders.add(a.label());
            }
        }
        if (placeholders.isEmpty()) {
            return new Help.Failed(new MatchResult.Failed<>(MatchResult.Failure.INVALID,
                    last.column() + sharedPrefix(last.lower(), node, level), INVALID));
        }
        return Help.merge(new Help.Words(placeholders, false));
    }

    private static void collectKeywords(CommandNode<?> node, String prefix, int level, List<String> out) {
        for (CommandNode<?> k : node.keywords) {
            if (k.visibleAt(level) && k.keyword.startsWith(prefix)) {
                out.add(k.keyword);
            }
        }
        for (CommandNode<?> a : arguments(node)) {
            if (a.visibleAt(level) && a.type instanceof Fragment f) {
                collectKeywords(f.root, prefix, ALL_LEVELS, out);
            }
        }
    }

    /** The argument slots at {@code node}: its children, and itself again when it repeats. */
    private static List<CommandNode<?>> arguments(CommandNode<?> node) {
        if (!node.repeat) {
            return new ArrayList<>(node.arguments);
        }
        List<CommandNode<?>> all = new ArrayList<>(node.arguments);
        all.add(node);
        return all;
    }

    // ------------------------------------------------------------------ the walk

    /** How far a walk must go: a whole command, a fragment (the longest run it takes), or a line still being typed. */
    enum Until { COMMAND, FRAGMENT, HELP }

    /** Where a walk stopped: the node, the next token index and the captures, or why it failed. */
    record Walk<C>(CommandNode<C> node, int index, Args args, MatchResult.Failed<?> failure) {
    }

    /**
     * Walks from {@code start}. A command walk must use every token and end on a command; a fragment walk stops at
     * the first word it cannot take, provided it stands on a complete fragment there; a help walk uses every token
     * and may end anywhere.
     */
    static <C> Walk<C> walk(CommandNode<C> root, List<Token> tokens, int start, String line, Until until,
                            int level) {
        CommandNode<C> node = root;
        Args args = new Args(tokens.get(Math.min(start, tokens.size() - 1)).column());
        int i = start;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            String lower = token.lower();
            CommandNode<C> keyword = null;
            int prefixes = 0;
            for (CommandNode<C> k : node.keywordsStartingWith(lower.charAt(0))) {
                if (!k.visibleAt(level)) {
                    continue;
                }
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
                String typed = Tokenizer.trimEnd(line, tokens.getFirst().column() - 1);
                return failed(MatchResult.Failure.AMBIGUOUS, token.column(), AMBIGUOUS + typed + "\"");
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
                if (!a.visibleAt(level)) {
                    continue;
                }
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
                if (until == Until.FRAGMENT && node.action != null) {
                    break;
                }
                return failed(tokens, i, line, node, lower, level);
            }
            args.add(next.name, parsed.value(), token.column());
            args.appendCanonical(parsed.canonical() != null ? parsed.canonical() : parsed.value());
            node = next;
            i += parsed.consumed();
        }
        if (until != Until.HELP && !node.runsAt(level)) {
            return failed(MatchResult.Failure.INCOMPLETE, tokens.getLast().end() + 1, INCOMPLETE);
        }
        return new Walk<>(node, i, args, null);
    }

    /** Nothing matched {@code tokens[i]}: the furthest explanation among keywords and arguments wins. */
    private static <C> Walk<C> failed(List<Token> tokens, int i, String line, CommandNode<C> node, String lower,
                                      int level) {
        MatchResult.Failed<?> best = new MatchResult.Failed<>(MatchResult.Failure.INVALID,
                tokens.get(i).column() + sharedPrefix(lower, node, level), INVALID);
        for (CommandNode<?> a : arguments(node)) {
            if (!a.visibleAt(level)) {
                continue;
            }
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
    private static int sharedPrefix(String word, CommandNode<?> node, int level) {
        int best = 0;
        for (CommandNode<?> k : node.keywords) {
            if (!k.visibleAt(level)) {
                continue;
            }
            int n = Math.min(word.length(), k.keyword.length());
            int j = 0;
            while (j < n && word.charAt(j) == k.keyword.charAt(j)) {
                j++;
            }
            best = Math.max(best, j);
        }
        return best;
    }

    /**
     * A failure as a session prints it: the caret under column {@code caretColumn} (0-based, on the user's screen)
     * and the message for invalid input; the message alone for an ambiguous or incomplete command, as IOS does.
     */
    public static String report(String message, int caretColumn) {
        if (message.startsWith(AMBIGUOUS) || message.equals(INCOMPLETE)) {
            return message + "\n";
        }
        return " ".repeat(Math.max(0, caretColumn)) + "^\n" + message + "\n";
    }
}
