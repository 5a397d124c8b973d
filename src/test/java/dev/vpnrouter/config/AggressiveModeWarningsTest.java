package dev.vpnrouter.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check} warns where Aggressive Mode hands out crackable hashes (ike-scan + psk-crack). */
class AggressiveModeWarningsTest {
    static final String STRONG = "Zq7#vN2pX!rT9wLk4mB";

    static List<String> warnings(String config) {
        return ConfigLoader.load(config).warnings().stream().map(d -> d.line() + " " + d.message()).toList();
    }

    static String clientGroup(String key) {
        return "aaa new-model\naaa authentication login clientauth local\n"
                + "crypto isakmp client configuration group testgroup\n key " + key + "\n"
                + "crypto isakmp profile VPNclient\n match identity group testgroup\n"
                + " client authentication list clientauth\n";
    }

    @Test
    void keyStrength() {
        assertThat(KeyStrength.weakness("cisco123")).contains("\"cisco\"");
        assertThat(KeyStrength.weakness("Tr0ub4dor&3")).contains("only 11 characters");
        assertThat(KeyStrength.weakness("correcthorsebattery")).contains("one word");
        assertThat(KeyStrength.weakness("ab1!ab1!ab1!ab1!ab1!")).contains("repeats");
        assertThat(KeyStrength.weakness("12345678901234567890")).isNotNull();
        assertThat(KeyStrength.weakness(STRONG)).isNull();
    }

    @Test
    void weakGroupKeyWarnsAtTheKey() {
        assertThat(warnings(clientGroup("hunter2"))).singleElement().asString()
                .startsWith("4 weak group key (crypto isakmp client configuration group testgroup): it has only 7 "
                        + "characters").contains("psk-crack").doesNotContain("hunter2");
        assertThat(warnings(clientGroup(STRONG))).isEmpty();
    }

    @Test
    void weakWildcardKeyWarnsOnlyWhileAggressiveModeIsEnabled() {
        String keyring = "crypto keyring spokes\n pre-shared-key address 0.0.0.0 0.0.0.0 key secret99\n"
                + "crypto isakmp profile L2L\n keyring spokes\n match identity address 0.0.0.0\n";
        assertThat(warnings(keyring)).hasSize(2).anyMatch(w -> w.startsWith("2 weak pre-shared key for 0.0.0.0/0"))
                .anyMatch(w -> w.startsWith("3 Aggressive Mode is enabled and ISAKMP profile L2L does not require "
                        + "Xauth"));
        assertThat(warnings("crypto isakmp aggressive-mode disable\n" + keyring)).isEmpty();
        // A key for one peer's address cannot be asked for from elsewhere: no weak-key warning.
        assertThat(warnings("crypto isakmp key secret99 address 172.16.1.1\n")).isEmpty();
    }

    @Test
    void aggressiveModeWithoutXauthAndWithoutProfiles() {
        assertThat(warnings("crypto isakmp key " + STRONG + " address 0.0.0.0 0.0.0.0\n")).singleElement()
                .asString().startsWith("1 Aggressive Mode is enabled and nothing requires Xauth");
    }

    @Test
    void aProfileThatRequiresXauthIsFine() {
        assertThat(warnings(clientGroup(STRONG))).isEmpty();
    }
}
