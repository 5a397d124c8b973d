package dev.vpnrouter.config.syntax;

import java.util.List;

/**
 * A sub-pattern matched as one argument ({@link CommandTree#fragment}): the longest run of words its own little
 * tree accepts, its captures the argument's value. {@code ?} lists its first words where the argument may stand.
 */
public final class Fragment implements ArgType {
    private final String id;
    final CommandNode<Object> root;

    Fragment(String id, CommandNode<Object> root) {
        this.id = id;
        this.root = root;
    }

    /** Sets the {@code ?} text of a word inside the fragment, as {@link CommandTree#describe} does for commands. */
    public Fragment describe(String path, String help) {
        CommandTree.describe(root, path, help);
        return this;
    }

    void undescribed(String path, List<String> out) {
        CommandTree.undescribed(root, path + " ", out);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Parsed parse(List<Token> tokens, int index, String line) {
        CommandTree.Walk<Object> w = CommandTree.walk(root, tokens, index, line, CommandTree.Until.FRAGMENT,
                CommandTree.ALL_LEVELS);
        return w.failure() != null ? null : new Parsed(w.args(), w.index() - index, null);
    }

    @Override
    public MatchResult.Failed<?> explain(List<Token> tokens, int index, String line) {
        return CommandTree.walk(root, tokens, index, line, CommandTree.Until.FRAGMENT, CommandTree.ALL_LEVELS)
                .failure();
    }

    @Override
    public String toString() {
        return id;
    }
}
