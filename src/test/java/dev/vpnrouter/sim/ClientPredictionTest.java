package dev.vpnrouter.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.vpnrouter.sim.TunnelPredictorTest.HUB;
import static dev.vpnrouter.sim.TunnelPredictorTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** `check hub.cfg --client group:user[:password]`: the remote-access half of the prediction, with its reasons. */
class ClientPredictionTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("the seed", HUB, "testgroup", "gfullage", null, true,
                        "Mode Config: address 10.5.5.1, DNS 1.1.1.1 2.2.2.2, WINS 3.3.3.3 4.4.4.4, domain cisco.com"),
                arguments("aggressive mode disabled", HUB.replace("crypto isakmp profile VPNclient",
                        "crypto isakmp aggressive-mode disable\ncrypto isakmp profile VPNclient"), "testgroup",
                        "gfullage", null, false, "refused: crypto isakmp aggressive-mode disable"),
                arguments("unknown group", HUB, "othergroup", "gfullage", null, false,
                        "no 'crypto isakmp client configuration group othergroup'"),
                arguments("group no profile matches", HUB.replace("match identity group testgroup",
                        "match identity group othergroup"), "testgroup", "gfullage", null, false,
                        "group testgroup matches no ISAKMP profile"),
                arguments("wrong password", HUB, "testgroup", "gfullage", "wrong", false,
                        "Xauth: authentication of user 'gfullage' from 198.18.0.2 failed (attempt 3 of 3)"),
                arguments("unknown user", HUB, "testgroup", "nobody", null, false,
                        "no 'username nobody' in the configuration"),
                arguments("pool missing", HUB.replace("ip local pool ippool 10.5.5.1 10.5.5.254\n", ""), "testgroup",
                        "gfullage", null, false, "ippool"),
                arguments("transform set the client does not offer", HUB.replace(
                        "crypto ipsec transform-set myset esp-3des esp-sha-hmac",
                        "crypto ipsec transform-set myset esp-des esp-md5-hmac"), "testgroup", "gfullage", null,
                        false, "phase 2"),
                arguments("profile without Xauth: in, with a note", HUB.replace(
                        "  client authentication list clientauth\n", ""), "testgroup", "gfullage", null, true,
                        "note: no Xauth was asked"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictAndReason(String name, String hub, String group, String user, String password, boolean up,
            String expected) {
        TunnelPredictor.Verdict v = TunnelPredictor.predictClient(parse(hub), group, user, password, null);
        String all = String.join("\n", v.tunnels()) + "\n" + String.join("\n", v.reasons());
        assertThat(v.up()).as(all).isEqualTo(up);
        assertThat(all).contains(expected);
    }
}
