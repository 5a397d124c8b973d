package dev.vpnrouter.config;

import dev.vpnrouter.config.syntax.CommandTree;
import dev.vpnrouter.config.syntax.Help;

/**
 * What {@code ?} and Tab see in a configuration mode, from the same grammar that reads configuration files: the
 * mode's own commands (at global level, with the features vpnrouter keeps but does not implement); in a sub-mode,
 * a line that is no beginning of a sub-mode command is helped as a global one, since IOS takes it there too.
 */
public final class ConfigHelp {
    private ConfigHelp() {
    }

    /** {@code ?} after {@code partial} in {@code mode}. */
    public static Help help(Mode mode, String partial) {
        IosGrammar g = IosGrammar.INSTANCE;
        Help global = Help.merge(g.tree(Mode.GLOBAL).help(partial, CommandTree.ALL_LEVELS),
                g.outOfScope().help(partial, CommandTree.ALL_LEVELS));
        if (mode == Mode.GLOBAL || mode == Mode.OUT_OF_SCOPE) {
            return global;
        }
        Help own = g.tree(mode).help(partial, CommandTree.ALL_LEVELS);
        if (own instanceof Help.Failed && !(global instanceof Help.Failed)) {
            return global;
        }
        return own instanceof Help.Failed ? Help.merge(own, global) : own;
    }
}
