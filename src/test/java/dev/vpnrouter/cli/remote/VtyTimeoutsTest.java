package dev.vpnrouter.cli.remote;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exec-timeout} and {@code session-timeout} on a vty: the first to run out ends the session; output counts as
 * traffic only with {@code session-timeout M output}. (The watcher thread itself is exercised over real SSH by
 * ExecServersTest's exec-timeout case.)
 */
class VtyTimeoutsTest {
    private static final long MINUTE = 60_000;

    @Test
    void sessionTimeoutIsReadWrittenBackAndOnlyForVtyLines() {
        RouterConfig c = ConfigLoader.load("line vty 0 4\n session-timeout 5 output\nline con 0\n session-timeout 3\n")
                .config();
        LineBlock vty = c.lines().stream().filter(l -> l.kind() == LineBlock.Kind.VTY).findFirst().orElseThrow();
        assertThat(vty.sessionTimeout()).contains(new LineBlock.SessionTimeout(5, true));
        assertThat(ConfigWriter.write(c)).contains("line vty 0 4\n session-timeout 5 output\n")
                .contains("line con 0\n session-timeout 3\n");
    }

    @Test
    void theFirstTimeoutToRunOutEndsTheSession() {
        LineBlock.SessionTimeout inputOnly = new LineBlock.SessionTimeout(2, false);
        LineBlock.SessionTimeout withOutput = new LineBlock.SessionTimeout(2, true);
        // Typed at 0, output at 90 s, now 100 s.
        assertThat(VtyShell.untilIdleEnd(100_000, 0, 90_000, 10 * MINUTE, null)).isEqualTo(500_000);
        assertThat(VtyShell.untilIdleEnd(100_000, 0, 90_000, 10 * MINUTE, inputOnly)).isEqualTo(20_000);
        assertThat(VtyShell.untilIdleEnd(100_000, 0, 90_000, 10 * MINUTE, withOutput)).isEqualTo(110_000);
        assertThat(VtyShell.untilIdleEnd(100_000, 0, 90_000, 0, null)).as("exec-timeout 0 0: never")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(VtyShell.untilIdleEnd(130_000, 0, 0, 0, inputOnly)).isLessThanOrEqualTo(0);
    }
}
