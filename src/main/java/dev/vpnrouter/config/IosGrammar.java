package dev.vpnrouter.config;

import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.syntax.Action;
import dev.vpnrouter.config.syntax.ArgType;
import dev.vpnrouter.config.syntax.CommandTree;
import dev.vpnrouter.config.syntax.Fragment;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every command vpnrouter understands, one command tree per mode. The tables live in {@link GlobalCommands},
 * {@link CryptoCommands}, {@link InterfaceCommands}, {@link AclCommands} and {@link LineCommands}; lines that are
 * accepted but not acted on are declared with {@link #passive}. Built once; immutable afterwards.
 */
final class IosGrammar {
    static final IosGrammar INSTANCE = build();

    private final Map<Mode, CommandTree<ParseContext>> trees = new EnumMap<>(Mode.class);
    /**
     * Global commands of features vpnrouter does not implement, tried after everything it does implement (so
     * {@code ip ro} stays {@code ip route}, and a block's own sub-commands never fall into them).
     */
    private final CommandTree<ParseContext> outOfScope;
    /** Fragments patterns may name, e.g. {@code ADDR:source}. */
    private final Map<String, ArgType> fragments = new HashMap<>();

    private IosGrammar() {
        for (Mode m : Mode.values()) {
            trees.put(m, new CommandTree<>(fragments));
        }
        outOfScope = new CommandTree<>(fragments);
    }

    /** Declares a fragment: a sub-pattern matched as one argument whose value is its captures. */
    Fragment fragment(String name, String pattern) {
        Fragment f = CommandTree.fragment(name, pattern, fragments);
        fragments.put(name, f);
        return f;
    }

    private static IosGrammar build() {
        IosGrammar g = new IosGrammar();
        LoggingCommands.define(g); // before GlobalCommands' passive 'logging LINE', so 'logging IP' is a host
        GlobalCommands.define(g);
        CryptoCommands.define(g);
        InterfaceCommands.define(g);
        AclCommands.define(g);
        LineCommands.define(g);
        OutOfScopeCommands.define(g);
        CryptoHelp.define(g);
        GlobalHelp.define(g);
        return g;
    }

    CommandTree<ParseContext> tree(Mode mode) {
        return trees.get(mode);
    }

    void on(Mode mode, String pattern, Action<ParseContext> action) {
        trees.get(mode).define(pattern, action);
    }

    /** The {@code ?} text of the words {@code path} leads to in {@code mode} ({@link CommandTree#describe}). */
    void describe(Mode mode, String path, String help) {
        trees.get(mode).describe(path, help);
    }

    /** The {@code ?} text of words of features vpnrouter keeps but does not implement. */
    void describeOutOfScope(String path, String help) {
        outOfScope.describe(path, help);
    }

    Fragment fragmentNamed(String name) {
        return (Fragment) fragments.get(name);
    }

    CommandTree<ParseContext> outOfScope() {
        return outOfScope;
    }

    /**
     * Headers of IOS features vpnrouter does not implement that open a block ({@code router ospf 1}): kept with the
     * lines indented under them (printed back, noted by {@code check}), not acted on. {@code no HEADER} removes one.
     */
    void outOfScopeBlocks(PassiveLine.Placement placement, String... patterns) {
        for (String p : patterns) {
            outOfScopeBlock(placement, "config-" + p.split(" ")[0], p);
        }
    }

    /** One such header whose sub-mode IOS names other than {@code config-FIRSTWORD} in the prompt. */
    void outOfScopeBlock(PassiveLine.Placement placement, String prompt, String pattern) {
        outOfScope.define(pattern, (c, a) -> c.outOfScope(a, placement, prompt));
        outOfScope.define("no " + pattern, (c, a) -> c.removeOutOfScope(a.canonical().substring("no ".length())));
    }

    /**
     * One-line commands of features vpnrouter does not implement: kept, printed back, noted. Each has its {@code no}
     * form, and the later of the two wins ({@link ParseContext#outOfScopeCommand}).
     */
    void outOfScopeLines(PassiveLine.Placement placement, String... patterns) {
        Action<ParseContext> keep = (c, a) -> c.outOfScopeCommand(a, placement);
        Set<String> listed = new HashSet<>(List.of(patterns));
        for (String p : patterns) {
            outOfScope.define(p, keep);
            if (!p.startsWith("no ") && !listed.contains("no " + p)) {
                outOfScope.define("no " + p, keep);
            }
        }
    }

    /** Lines accepted and kept (printed back, noted by {@code check}) but not acted on. */
    void passive(Mode mode, PassiveLine.Placement placement, String... patterns) {
        Action<ParseContext> keep = (c, a) -> c.passive(a, placement);
        for (String p : patterns) {
            trees.get(mode).define(p, keep);
        }
    }
}
