package dev.vpnrouter.sim;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** `check hub.cfg spoke.cfg`: the verdict and its reason for pairs of configs derived from the seed. */
class TunnelPredictorTest {
    static final String HUB = read("hub.cfg");
    static final String SPOKE = read("spoke.cfg");
    static final String STATIC_HUB = HUB
            .replace("crypto map mymap 10 ipsec-isakmp dynamic dynmap",
                    "crypto map mymap 5 ipsec-isakmp\n set peer 198.51.100.10\n set transform-set myset\n"
                            + " match address 101\ncrypto map mymap 10 ipsec-isakmp dynamic dynmap")
            .replace("ip local pool", "access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255\n"
                    + "ip local pool");

    static String read(String name) {
        try {
            return Files.readString(Path.of("examples/seed", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RouterConfig parse(String text) {
        return ConfigLoader.load(text).config();
    }

    static Stream<Arguments> pairs() {
        return Stream.of(
                arguments("the seed as published", HUB, SPOKE, true, "UP   Spoke 10.2.0.0/255.255.0.0/0/0"),
                arguments("spoke encrypts with aes", HUB, SPOKE.replace("encr 3des", "encr aes"), false,
                        "Hub: phase 1: no proposal of peer (aes/sha/group2) matches policy 10 (3des/sha/group2)"),
                arguments("spoke uses DH group 5", HUB, SPOKE.replace("group 2", "group 5"), false,
                        "no proposal of peer (3des/sha/group5) matches policy 10 (3des/sha/group2)"),
                arguments("spoke hashes with md5", HUB, SPOKE.replace("authentication pre-share",
                        "authentication pre-share\n  hash md5"), false, "(3des/md5/group2)"),
                arguments("spoke has the wrong key", HUB, SPOKE.replace("key cisco123", "key cisco999"), false,
                        "pre-shared key mismatch"),
                arguments("hub keyring has the wrong key", HUB.replace("key cisco123", "key other"), SPOKE, false,
                        "pre-shared key mismatch"),
                arguments("spoke transform set is aes", HUB, SPOKE.replace("myset esp-3des", "myset esp-aes"), false,
                        "phase 2: no transform set of crypto map mymap 10 (dynmap 10) matches the peer's {esp-aes esp-sha-hmac}"),
                arguments("spoke transform set uses md5", HUB, SPOKE.replace("esp-sha-hmac", "esp-md5-hmac"), false,
                        "{esp-3des esp-md5-hmac}"),
                arguments("hub transform set is transport mode", HUB.replace("crypto ipsec transform-set myset esp-3des esp-sha-hmac",
                        "crypto ipsec transform-set myset esp-3des esp-sha-hmac\n mode transport"), SPOKE, false,
                        "no transform set of crypto map"),
                arguments("hub has no L2L profile", HUB.replace("match identity address 0.0.0.0",
                        "match identity address 192.0.2.1 255.255.255.255"), SPOKE, false,
                        "Hub: phase 1: identity 198.51.100.10 matches no ISAKMP profile"),
                arguments("spoke points at another hub", HUB, SPOKE.replace("set peer 10.48.67.181",
                        "set peer 10.48.67.182"), false, "sets peer [10.48.67.182], but Hub's outside address is 10.48.67.181"),
                arguments("spoke has no crypto map on its interface", HUB, SPOKE.replace("  crypto map mymap\n", ""),
                        false, "Spoke: no interface with a crypto map: it never initiates"),
                arguments("hub has no crypto map on its interface", HUB.replace("  crypto map mymap\n", ""), SPOKE,
                        false, "Hub: no interface with a crypto map"),
                arguments("hub requires PFS, spoke offers none", HUB.replace("crypto dynamic-map dynmap 10\n  set transform-set myset",
                        "crypto dynamic-map dynmap 10\n  set transform-set myset\n  set pfs group2"), SPOKE, false,
                        "requires PFS group2, the peer offered none"),
                arguments("spoke offers PFS, hub takes it", HUB, SPOKE.replace("  match address 100",
                        "  match address 100\n  set pfs group2"), true, "UP"),
                arguments("static hub entry mirrors the spoke ACL", STATIC_HUB, SPOKE, true,
                        "Hub crypto map mymap 5)"),
                arguments("static hub entry does not mirror the ACL", STATIC_HUB.replace(
                        "access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255",
                        "access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.2.0 0.0.0.255")
                        .replace("crypto map mymap 10 ipsec-isakmp dynamic dynmap", ""), SPOKE, false,
                        "proxy identities 10.2.0.0/255.255.0.0/0/0 -> 10.1.0.0/255.255.0.0/0/0 are not permitted by ACL 101"),
                arguments("hub dynamic entry limits the spoke LANs", HUB.replace(
                        "crypto dynamic-map dynmap 10\n  set transform-set myset",
                        "crypto dynamic-map dynmap 10\n  set transform-set myset\n  match address 102")
                        .replace("ip local pool", "access-list 102 permit ip 10.1.0.0 0.0.255.255 10.9.0.0 0.0.255.255\nip local pool"),
                        SPOKE, false, "not permitted by ACL 102 of crypto map mymap 10 (dynmap 10)"),
                arguments("shorter phase 1 lifetime on the spoke", HUB, SPOKE.replace("group 2", "group 2\n  lifetime 3600"),
                        true, "UP"),
                arguments("hub has a second policy that matches", HUB.replace("crypto isakmp policy 10\n  encr 3des",
                        "crypto isakmp policy 5\n  encr aes 256\n  authentication pre-share\n  group 14\n"
                                + "crypto isakmp policy 10\n  encr 3des"), SPOKE, true, "UP"),
                arguments("spoke ACL with two lines brings two tunnels", HUB, SPOKE.replace(
                        "access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255",
                        "access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255\n"
                                + "access-list 100 permit ip 10.2.0.0 0.0.255.255 10.5.5.0 0.0.0.255"), true,
                        "10.5.5.0/255.255.255.0/0/0"),
                arguments("hub knows no key for the spoke's address", HUB.replace(
                        "pre-shared-key address 0.0.0.0 0.0.0.0 key cisco123",
                        "pre-shared-key address 192.0.2.0 255.255.255.0 key cisco123"), SPOKE, false,
                        "Hub: no pre-shared key for peer 198.51.100.10"),
                arguments("spoke policy is rsa-sig only", HUB, SPOKE.replace("authentication pre-share",
                        "authentication rsa-sig"), false,
                        "Spoke: no crypto isakmp policy with pre-shared key authentication to offer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void predicts(String name, String hub, String spoke, boolean up, String expected) {
        TunnelPredictor.Verdict v = TunnelPredictor.predict(parse(hub), parse(spoke),
                TunnelPredictor.DEFAULT_DHCP_ADDRESS);
        String report = String.join("\n", v.tunnels()) + "\n" + String.join("\n", v.reasons());
        assertThat(v.up()).as(report).isEqualTo(up);
        assertThat(report).contains(expected);
    }
}
