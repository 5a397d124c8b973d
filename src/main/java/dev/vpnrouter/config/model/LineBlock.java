package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/** {@code line con|aux|vty FIRST [LAST]} with its password and login setting; other lines are kept passive. */
public record LineBlock(Kind kind, int first, int last, Optional<Password> password, Optional<Login> login,
                        Optional<AccessClass> accessClassIn, Optional<java.util.Set<String>> transportInput,
                        Optional<ExecTimeout> execTimeout, Optional<SessionTimeout> sessionTimeout,
                        List<PassiveLine> passive) {
    public LineBlock {
        // In the order typed, so show running-config writes it back as it was.
        transportInput = transportInput.map(t -> java.util.Collections.unmodifiableSequencedSet(
                new java.util.LinkedHashSet<>(t)));
        passive = List.copyOf(passive);
    }

    /**
     * {@code access-class ACL in [vrf-also]}: the sources that may open a session. vpnrouter has no VRFs, so
     * {@code vrf-also} (also for connections arriving in a VRF) filters exactly as without it; it is kept to be
     * written back.
     */
    public record AccessClass(String acl, boolean vrfAlso) {
    }

    /**
     * {@code session-timeout M [output]}: the connection closes after M minutes without input (with {@code output},
     * output to the line counts as traffic too); 0 means never.
     */
    public record SessionTimeout(int minutes, boolean output) {
        public long millis() {
            return minutes * 60_000L;
        }
    }

    /** IOS's idle timeout of an exec session when none is configured: 10 minutes. */
    public static final ExecTimeout DEFAULT_EXEC_TIMEOUT = new ExecTimeout(10, 0);

    /** {@code exec-timeout M [S]}; 0 0 means never. */
    public record ExecTimeout(int minutes, int seconds) {
        public long millis() {
            return (minutes * 60L + seconds) * 1000L;
        }
    }

    /** True when {@code transport input} lets {@code protocol} in ("ssh", "telnet"); no such line: all. */
    public boolean acceptsTransport(String protocol) {
        return transportInput.map(t -> t.contains("all") || t.contains(protocol)).orElse(true);
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
