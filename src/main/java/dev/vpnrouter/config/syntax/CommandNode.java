package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A node of a command tree: a keyword or a typed argument, its children, and the action when a command ends here. */
final class CommandNode<C> {
    final String keyword;
    final String capture;
    final ArgType type;
    final String name;
    final boolean repeat;
    final List<CommandNode<C>> keywords = new ArrayList<>(4);
    final List<CommandNode<C>> arguments = new ArrayList<>(2);
    Action<C> action;

    private CommandNode(String keyword, String capture, ArgType type, String name, boolean repeat) {
        this.keyword = keyword;
        this.capture = capture;
        this.type = type;
        this.name = name;
        this.repeat = repeat;
    }

    static <C> CommandNode<C> root() {
        return new CommandNode<>(null, null, null, null, false);
    }

    /** The child for {@code term}, created when missing; conflicting definitions are grammar bugs. */
    CommandNode<C> child(SyntaxPattern.Term term) {
        if (term.keyword() != null) {
            for (CommandNode<C> k : keywords) {
                if (k.keyword.equals(term.keyword())) {
                    if (!Objects.equals(k.capture, term.capture())) {
                        throw new IllegalStateException("keyword '" + term.keyword() + "' captured as both "
                                + k.capture + " and " + term.capture());
                    }
                    return k;
                }
            }
            CommandNode<C> n = new CommandNode<>(term.keyword(), term.capture(), null, null, false);
            keywords.add(n);
            return n;
        }
        for (CommandNode<C> a : arguments) {
            if (a.type.id().equals(term.type().id())) {
                if (!a.name.equals(term.name()) || a.repeat != term.repeat()) {
                    throw new IllegalStateException("argument " + term.type().id() + " named both " + a.name
                            + " and " + term.name() + ": the second is unreachable");
                }
                return a;
            }
        }
        CommandNode<C> n = new CommandNode<>(null, null, term.type(), term.name(), term.repeat());
        arguments.add(n);
        return n;
    }
}
