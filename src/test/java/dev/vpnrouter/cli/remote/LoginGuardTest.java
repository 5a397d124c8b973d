package dev.vpnrouter.cli.remote;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.model.LoginBlock;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16: no password can be guessed at line speed over SSH, configured or not. */
class LoginGuardTest {
    private static final int ATTACKER = Ipv4.parse("198.51.100.66");
    private static final int OPERATOR = Ipv4.parse("192.0.2.10");

    @Test
    void eachSourceBacksOffAfterAFewFailuresAndASuccessClearsIt() {
        LoginGuard g = new LoginGuard();
        Optional<LoginBlock> none = Optional.empty();
        for (int i = 0; i < LoginGuard.FREE_FAILURES; i++) {
            assertThat(g.admit(ATTACKER, "guess", none, 0)).isNull();
            g.failed(ATTACKER, none, 0);
        }
        assertThat(g.admit(ATTACKER, "guess", none, 500)).contains("next try in 1 s");
        assertThat(g.admit(OPERATOR, "right", none, 500)).as("another source is not held up").isNull();
        assertThat(g.admit(ATTACKER, "guess", none, 1_000)).isNull();
        g.failed(ATTACKER, none, 1_000);
        assertThat(g.admit(ATTACKER, "guess", none, 2_500)).contains("next try in 1 s"); // 2 s after 1,000
        assertThat(g.admit(ATTACKER, "guess", none, 3_000)).isNull();
        for (int i = 0; i < 20; i++) {
            g.failed(ATTACKER, none, 3_000);
        }
        assertThat(g.admit(ATTACKER, "guess", none, 3_000 + 299_000)).as("capped at 300 s").isNotNull();
        assertThat(g.admit(ATTACKER, "guess", none, 3_000 + 300_000)).isNull();
        g.succeeded(ATTACKER);
        assertThat(g.admit(ATTACKER, "right", none, 3_000 + 300_001)).isNull();
    }

    /** Parallel connections get no more guesses than sequential ones: an attempt in flight counts as a failure. */
    @Test
    void parallelAttemptsFromOneSourceAreCountedBeforeTheyEnd() {
        LoginGuard g = new LoginGuard();
        Optional<LoginBlock> none = Optional.empty();
        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            if (g.admit(ATTACKER, "guess" + i, none, 0) == null) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(LoginGuard.FREE_FAILURES);
        assertThat(g.admit(ATTACKER, "guess", none, 0)).isEqualTo("a login from this address is still being checked");
        for (int i = 0; i < admitted; i++) {
            g.failed(ATTACKER, none, 0);
        }
        assertThat(g.admit(ATTACKER, "guess", none, 999)).contains("next try in 1 s");
        assertThat(g.admit(ATTACKER, "guess", none, 1_000)).isNull();
        assertThat(g.admit(ATTACKER, "guess", none, 60_000)).as("one at a time past the free failures")
                .isEqualTo("a login from this address is still being checked");
        g.succeeded(ATTACKER);
        assertThat(g.admit(ATTACKER, "right", none, 60_000)).isNull();
    }

    @Test
    void loginBlockForPutsTheRouterInQuietMode() {
        LoginGuard g = new LoginGuard();
        Optional<LoginBlock> block = Optional.of(new LoginBlock(60, 2, 30));
        g.failed(ATTACKER, block, 0);
        assertThat(g.admit(OPERATOR, "right", block, 1_000)).isNull();
        g.failed(ATTACKER + 1, block, 29_000); // two failures within 30 s, from anywhere
        assertThat(g.admit(OPERATOR, "right", block, 30_000)).contains("quiet mode");
        assertThat(g.admit(OPERATOR, "right", block, 29_000 + 60_000)).isNull();
        // Failures further apart than the window do not add up.
        g.failed(ATTACKER, block, 100_000);
        g.failed(ATTACKER + 2, block, 131_000);
        assertThat(g.admit(OPERATOR, "right", block, 131_001)).isNull();
    }

    @Test
    void aHugePasswordIsRefusedBeforeAnyHashing() {
        LoginGuard g = new LoginGuard();
        assertThat(g.admit(ATTACKER, "x".repeat(LoginGuard.MAX_PASSWORD_LENGTH), Optional.empty(), 0)).isNull();
        assertThat(g.admit(ATTACKER, "x".repeat(LoginGuard.MAX_PASSWORD_LENGTH + 1), Optional.empty(), 0))
                .contains("longer than 128");
    }

    @Test
    void loginBlockForIsReadAndWrittenBack() {
        RouterConfig c = ConfigLoader.load("login block-for 120 attempts 3 within 60\n").config();
        assertThat(c.loginBlock()).contains(new LoginBlock(120, 3, 60));
        String written = ConfigWriter.write(c);
        assertThat(written).contains("login block-for 120 attempts 3 within 60\n");
        assertThat(ConfigLoader.load(written).config()).isEqualTo(c);
        assertThat(ConfigLoader.load("login block-for 120 attempts 3 within 60\nno login block-for\n").config()
                .loginBlock()).isEmpty();
    }
}
