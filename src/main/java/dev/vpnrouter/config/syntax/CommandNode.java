package dev.vpnrouter.config.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node of a command tree: a keyword or a typed argument, its children, the action when a command ends here, its
 * {@code ?} help text and the lowest privilege level of the commands through it (a session below that level does
 * not see it, as on IOS).
 */
final class CommandNode<C> {
    final String keyword;
    final String capture;
    final ArgType type;
    final String name;
    final boolean repeat;
    final List<CommandNode<C>> keywords = new ArrayList<>(4);
    final List<CommandNode<C>> arguments = new ArrayList<>(2);
    Action<C> action;
    /** The privilege level the action needs; meaningful only with an action. */
    int actionPrivilege;
    /** The lowest privilege level of any command through this node. */
    int privilege = Integer.MAX_VALUE;
    /** What {@code ?} says about this keyword or argument; null when the grammar gave nothing. */
    String help;
    /** Keywords by first character, built on first use (the tree no longer changes then). */
    private KeywordIndex<C> index;

    private CommandNode(String keyword, String capture, ArgType type, String name, boolean repeat) {
        this.keyword = keyword;
        this.capture = capture;
        this.type = type;
        this.name = name;
        this.repeat = repeat;
    }

    /**
     * The keywords starting with {@code first}: a line's word is compared with a handful of keywords rather than
     * with all of them (the global mode has dozens), which matters most before the JIT has compiled the matcher.
     */
    List<CommandNode<C>> keywordsStartingWith(char first) {
        KeywordIndex<C> i = index;
        if (i == null) {
            i = new KeywordIndex<>(keywords);
            index = i;
        }
        return i.get(first);
    }

    /** Immutable once built; final fields make it safe to publish without locking. */
    private static final class KeywordIndex<C> {
        private final List<List<CommandNode<C>>> byChar;

        KeywordIndex(List<CommandNode<C>> keywords) {
            List<List<CommandNode<C>>> lists = new ArrayList<>(128);
            for (int c = 0; c < 128; c++) {
                lists.add(new ArrayList<>(2));
            }
            for (CommandNode<C> k : keywords) {
                char c = k.keyword.charAt(0);
                if (c < 128) {
                    lists.get(c).add(k);
                }
            }
            List<List<CommandNode<C>>> frozen = new ArrayList<>(128);
            for (List<CommandNode<C>> l : lists) {
                frozen.add(List.copyOf(l));
            }
            byChar = List.copyOf(frozen);
        }

        List<CommandNode<C>> get(char c) {
            return c < 128 ? byChar.get(c) : List.of();
        }
    }

    boolean visibleAt(int level) {
        return privilege <= level;
    }

    /** Whether a command ends here for a session at {@code level}. */
    boolean runsAt(int level) {
        return action != null && actionPrivilege <= level;
    }

    /** The word {@code ?} lists for this node. */
    String label() {
        return keyword != null ? keyword : type.placeholder();
    }

    /** This node's help text, else its argument type's. */
    String helpText() {
        return help != null ? help : keyword != null ? "" : type.description();
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
