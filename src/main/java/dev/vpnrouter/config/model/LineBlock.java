package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/** {@code line con|aux|vty FIRST [LAST]} with its password and login setting; other lines are kept passive. */
public record LineBlock(Kind kind, int first, int last, Optional<Password> password, Optional<Login> login,
                        List<PassiveLine> passive) {
    public LineBlock {
        passive = List.copyOf(passive);
    }

    public enum Kind {
        CON("con"),
        AUX("aux"),
        VTY("vty");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** {@code login} (line password), {@code login local}, {@code login authentication LIST}, {@code no login}. */
    public record Login(Mode mode, Optional<String> list) {
        public enum Mode {
            NONE,
            LINE,
            LOCAL,
            AUTHENTICATION
        }
    }
}
