package dev.vpnrouter.config;

import dev.vpnrouter.config.syntax.CommandTree;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17: every word of the crypto commands, and of the modes they open, has its {@code ?} text. */
class CryptoHelpTest {
    private static final List<Mode> CRYPTO_MODES = List.of(Mode.KEYRING, Mode.ISAKMP_POLICY, Mode.ISAKMP_PROFILE,
            Mode.CLIENT_GROUP, Mode.TRANSFORM_SET, Mode.MAP_ENTRY);

    @Test
    void everyCryptoCommandIsDescribed() {
        IosGrammar g = IosGrammar.INSTANCE;
        List<String> missing = new ArrayList<>();
        CommandTree<ParseContext> global = g.tree(Mode.GLOBAL);
        missing.addAll(global.undescribed("crypto"));
        missing.addAll(global.undescribed("no crypto"));
        missing.addAll(g.tree(Mode.INTERFACE).undescribed("crypto"));
        missing.addAll(g.outOfScope().undescribed("crypto"));
        for (Mode m : CRYPTO_MODES) {
            g.tree(m).undescribed("").forEach(p -> missing.add(m + ": " + p));
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyGlobalFirstWordIsDescribed() {
        IosGrammar g = IosGrammar.INSTANCE;
        List<String> missing = new ArrayList<>();
        for (String p : g.tree(Mode.GLOBAL).undescribed("")) {
            if (!p.contains(" ")) {
                missing.add(p);
            }
        }
        for (String p : g.outOfScope().undescribed("")) {
            if (!p.contains(" ")) {
                missing.add("out of scope: " + p);
            }
        }
        assertThat(missing).isEmpty();
    }
}
