package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.AddressWildcard;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.EspCipher;
import dev.vpnrouter.config.model.EspIntegrity;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SeedConfigTest {
    private static int ip(String s) {
        return Ipv4.parse(s);
    }

    @Test
    void bothSeedsLoadWithoutErrorsAndTheHubIsWarnedAboutAggressiveMode() {
        ParseResult spoke = ConfigLoader.load(Seeds.spoke());
        assertThat(spoke.errors()).isEmpty();
        assertThat(spoke.warnings()).isEmpty(); // its key is for the hub's address only
        ParseResult hub = ConfigLoader.load(Seeds.hub());
        assertThat(hub.errors()).isEmpty();
        // The seed teaches weak keys and Aggressive Mode without Xauth for its spokes (ike-scan + psk-crack), and
        // a dynamic entry without match address for them (what a spoke may claim).
        assertThat(hub.warnings()).extracting(d -> d.line() + ":" + d.column()).containsExactly("25:3", "35:7",
                "45:1", "66:1");
        assertThat(hub.warnings().get(0).message()).startsWith("weak pre-shared key for 0.0.0.0/0 while Aggressive "
                + "Mode is enabled: it contains the dictionary word \"cisco\"");
        assertThat(hub.warnings().get(1).message()).startsWith("weak group key (crypto isakmp client configuration "
                + "group testgroup): it contains the dictionary word \"cisco\"");
        assertThat(hub.warnings().get(2).message()).startsWith("Aggressive Mode is enabled and ISAKMP profile L2L "
                + "does not require Xauth");
        // No warning quotes a key.
        assertThat(hub.warnings()).noneMatch(d -> d.message().contains("cisco123") || d.message().contains("cisco321"));
        // Disabling Aggressive Mode leaves the weak group key (a client group's key is Aggressive Mode's), and the
        // dynamic entry without match address, which is not about Aggressive Mode.
        ParseResult hardened = ConfigLoader.load(Seeds.hub().replace("crypto isakmp profile VPNclient",
                "crypto isakmp aggressive-mode disable\ncrypto isakmp profile VPNclient"));
        assertThat(hardened.warnings()).extracting(Diagnostic::message).satisfiesExactly(
                m -> assertThat(m).startsWith("weak group key"),
                m -> assertThat(m).startsWith("crypto dynamic-map dynmap 10 has no 'match address'"));
    }

    @Test
    void hubModel() {
        RouterConfig c = ConfigLoader.load(Seeds.hub()).config();
        assertThat(c.hostname()).contains("Hub");
        assertThat(c.passwordEncryption()).isTrue();
        assertThat(c.users()).singleElement().satisfies(u -> {
            assertThat(u.name()).isEqualTo("gfullage");
            assertThat(u.password()).isEqualTo(new Password.Type7Encoded("0201024E070A0E2649"));
            assertThat(u.password().clearText()).contains("gfullage");
        });
        assertThat(c.aaa().newModel()).isTrue();
        assertThat(c.aaa().authenticationLogin()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("clientauth");
            assertThat(l.methods()).containsExactly(AaaMethod.of(AaaMethod.Kind.LOCAL));
        });
        assertThat(c.keyring("spokes").orElseThrow().keys())
                .containsExactly(new PreSharedKey.ByAddress(0, 0, "cisco123", false));
        assertThat(c.isakmpPolicies()).containsExactly(new IsakmpPolicy(10, IkeEncryption.TRIPLE_DES, IkeHash.SHA,
                IkeAuthentication.PRE_SHARE, DhGroupId.GROUP2, 86400));
        assertThat(c.clientGroup("testgroup").orElseThrow()).satisfies(g -> {
            assertThat(g.key()).contains("cisco321");
            assertThat(g.dns()).containsExactly(ip("1.1.1.1"), ip("2.2.2.2"));
            assertThat(g.wins()).containsExactly(ip("3.3.3.3"), ip("4.4.4.4"));
            assertThat(g.domain()).contains("cisco.com");
            assertThat(g.pool()).contains("ippool");
        });
        assertThat(c.isakmpProfile("L2L").orElseThrow()).satisfies(p -> {
            assertThat(p.keyring()).contains("spokes");
            assertThat(p.matches()).containsExactly(new MatchIdentity.Address(0, 0)); // the wildcard
            assertThat(p.clientAuthenticationList()).isEmpty();
        });
        assertThat(c.isakmpProfile("VPNclient").orElseThrow()).satisfies(p -> {
            assertThat(p.matches()).containsExactly(new MatchIdentity.Group("testgroup"));
            assertThat(p.clientAuthenticationList()).contains("clientauth");
            assertThat(p.isakmpAuthorizationList()).contains("groupauthor");
            assertThat(p.clientConfigurationRespond()).isTrue();
        });
        assertThat(c.transformSet("myset").orElseThrow()).satisfies(t -> {
            assertThat(t.cipher()).contains(EspCipher.TRIPLE_DES);
            assertThat(t.integrity()).contains(EspIntegrity.SHA_HMAC);
        });
        assertThat(c.dynamicMap("dynmap").orElseThrow().entries()).extracting(MapEntry::sequence,
                MapEntry::isakmpProfile).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, Optional.of("VPNclient")),
                org.assertj.core.groups.Tuple.tuple(10, Optional.of("L2L")));
        assertThat(c.cryptoMap("mymap").orElseThrow().entries()).singleElement()
                .satisfies(e -> assertThat(e.dynamicMap()).contains("dynmap"));
        assertThat(c.iface("FastEthernet0/0").orElseThrow()).satisfies(i -> {
            assertThat(i.address()).isEqualTo(new InterfaceAddress.Static(ip("10.48.67.181"), ip("255.255.255.224")));
            assertThat(i.cryptoMap()).contains("mymap");
        });
        assertThat(c.localPools()).singleElement().satisfies(p -> {
            assertThat(p.first()).isEqualTo(ip("10.5.5.1"));
            assertThat(p.last()).isEqualTo(ip("10.5.5.254"));
        });
        LineBlock vty = c.lines().stream().filter(l -> l.kind() == LineBlock.Kind.VTY).findFirst().orElseThrow();
        assertThat(vty.password().flatMap(Password::clearText)).contains("cisco");
    }

    @Test
    void spokeModel() {
        RouterConfig c = ConfigLoader.load(Seeds.spoke()).config();
        assertThat(c.passwordEncryption()).isFalse();
        assertThat(c.isakmpKeys()).containsExactly(new PreSharedKey.ByAddress(ip("10.48.67.181"), -1, "cisco123",
                false));
        MapEntry e = c.cryptoMap("mymap").orElseThrow().entries().getFirst();
        assertThat(e.peers()).containsExactly(new MapPeer.Address(ip("10.48.67.181")));
        assertThat(e.transformSets()).containsExactly("myset");
        assertThat(e.matchAddress()).contains("100");
        assertThat(c.accessList("100").orElseThrow().entries()).containsExactly(new AclEntry.Extended(
                AclEntry.Action.PERMIT, 0, new AddressWildcard(ip("10.2.0.0"), ip("0.0.255.255")), Optional.empty(),
                new AddressWildcard(ip("10.1.0.0"), ip("0.0.255.255")), Optional.empty(),
                java.util.OptionalInt.empty(), false, false));
        assertThat(c.iface("FastEthernet0/0").orElseThrow().address()).isEqualTo(InterfaceAddress.DHCP);
        assertThat(c.iface("ATM1/0").orElseThrow()).satisfies(i -> {
            assertThat(i.shutdown()).isTrue();
            assertThat(i.address()).isEqualTo(InterfaceAddress.NONE);
        });
        LineBlock vty = c.lines().stream().filter(l -> l.kind() == LineBlock.Kind.VTY).findFirst().orElseThrow();
        assertThat(vty.password()).contains(new Password.Clear("cisco"));
        assertThat(vty.login()).contains(new LineBlock.Login(LineBlock.Login.Mode.LINE, Optional.empty()));
    }

    @Test
    void bothSeedsRoundTrip() {
        for (String seed : List.of(Seeds.hub(), Seeds.spoke())) {
            RouterConfig first = ConfigLoader.load(seed).config();
            String written = ConfigWriter.write(first);
            ParseResult again = ConfigLoader.load(written);
            assertThat(again.errors()).isEmpty();
            assertThat(again.config()).isEqualTo(first);
            assertThat(ConfigWriter.write(again.config())).isEqualTo(written);
        }
    }

    @Test
    void notActedOnLinesAreNotesWithTheirLines() {
        List<String> hub = ConfigLoader.load(Seeds.hub()).notes().stream()
                .map(d -> d.line() + ":" + d.column() + " " + d.message()).toList();
        assertThat(hub).contains(
                "1:1 not acted on: version 12.3",
                "80:3 not acted on: no ip mroute-cache (interface FastEthernet0/0)",
                "81:3 not acted on: duplex auto (interface FastEthernet0/0)",
                "82:3 not acted on: speed auto (interface FastEthernet0/0)",
                "99:1 not acted on: call rsvp-sync",
                "102:1 not acted on: dial-peer cor custom",
                "105:1 not acted on: line con 0 (only vty lines are served)",
                "106:3 not acted on: exec-timeout 0 0 (line con 0)",
                "107:3 not acted on: escape-character 27 (line con 0)",
                "108:1 not acted on: line aux 0 (only vty lines are served)");
        List<String> spoke = ConfigLoader.load(Seeds.spoke()).notes().stream()
                .map(d -> d.line() + ":" + d.column() + " " + d.message()).toList();
        assertThat(spoke).contains(
                "13:1 not acted on: ip cef",
                "33:1 not acted on: controller ISA 5/1",
                "53:3 not acted on: no atm ilmi-keepalive (interface ATM1/0)",
                "57:1 not acted on: no ip http server",
                "70:1 not acted on: mgcp profile default");
        // Nothing else is silently dropped: every non-comment line of the seeds is a modelled command or a note.
        assertThat(hub).hasSize(21); // "no logging on" is acted on (issue 17)
        assertThat(spoke).hasSize(21);
    }
}
