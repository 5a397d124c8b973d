package dev.vpnrouter.radius;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.policy.GroupAuthorization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group's policy from Cisco-AVPairs, as IOS reads them for {@code isakmp authorization list}: every ipsec:
 * attribute of the issue, a malformed pair not applied (the rest are), other protocols ignored, and the group asked
 * with its name and the password cisco.
 */
class GroupAttributesTest {
    @Test
    void everyIpsecPairApplies() {
        GroupAuthorization g = GroupAttributes.parse("testgroup", List.of("ipsec:tunnel-password=cisco321",
                "ipsec:key-exchange=ike", "ipsec:addr-pool=ippool", "ipsec:dns-servers=10.2.2.2 10.2.2.3",
                "ipsec:wins-servers=10.6.6.6", "ipsec:default-domain=cisco.com", "ipsec:split-tunnel-list=split",
                "ipsec:banner=Welcome", "ipsec:include-local-lan=1", "ipsec:save-password=1",
                "ipsec:backup-gateway=hub2.example", "ipsec:backup-gateway=192.0.2.9", "ipsec:max-users=10",
                "ipsec:max-logins=1", "shell:priv-lvl=15"));
        assertThat(g).isEqualTo(new GroupAuthorization("testgroup", "cisco321",
                List.of(Ipv4.parse("10.2.2.2"), Ipv4.parse("10.2.2.3")), List.of(Ipv4.parse("10.6.6.6")),
                "cisco.com", "ippool", "split", "Welcome", true, true, List.of("hub2.example", "192.0.2.9"), 10, 1));
        assertThat(g.toString()).doesNotContain("cisco321");
    }

    @Test
    void aMalformedPairIsNotAppliedAndTheRestAre() {
        GroupAuthorization g = GroupAttributes.parse("testgroup", List.of("ipsec:tunnel-password=cisco321",
                "ipsec:dns-servers=10.2.2.300", "ipsec:wins-servers=10.6.6.6,10.6.6.7,10.6.6.8",
                "ipsec:max-users=lots", "ipsec:include-local-lan=perhaps", "ipsec:addr-pool=two words",
                "ipsec:default-domain=cisco.com", "ipsec:nonsense"));
        assertThat(g.key()).isEqualTo("cisco321");
        assertThat(g.dns()).isEmpty();
        assertThat(g.wins()).isEmpty();
        assertThat(g.maxUsers()).isZero();
        assertThat(g.includeLocalLan()).isFalse();
        assertThat(g.pool()).isNull();
        assertThat(g.domain()).isEqualTo("cisco.com");
        assertThat(GroupAttributes.parse("g", List.of("ipsec:tunnel-password=k", "ipsec:key-exchange=ikev2")).key())
                .as("a key for another key exchange is no key here").isNull();
    }

    @Test
    @Timeout(30)
    void theGroupIsAskedWithItsNameAndThePasswordCisco() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret").user("testgroup", "cisco",
                Attribute.ciscoAvPair("ipsec:tunnel-password=cisco321"),
                Attribute.ciscoAvPair("ipsec:dns-servers=10.2.2.2"));
                RadiusLogins logins = new RadiusLogins(RadiusGroups.of(ConfigLoader.load("""
                        aaa new-model
                        radius server LOOP
                         address ipv4 127.0.0.1 auth-port %d acct-port %d
                         key loop-secret
                        radius-server timeout 1
                        radius-server retransmit 0
                        """.formatted(server.port(), server.port() + 1)).config()))) {
            List<AaaMethod> list = List.of(AaaMethod.group("radius"));
            assertThat(logins.authorizeGroup(list, "testgroup", Ipv4.parse("127.0.0.1"), "198.51.100.7"))
                    .hasValueSatisfying(g -> {
                        assertThat(g.key()).isEqualTo("cisco321");
                        assertThat(g.dns()).containsExactly(Ipv4.parse("10.2.2.2"));
                    });
            assertThat(logins.authorizeGroup(list, "othergroup", Ipv4.parse("127.0.0.1"), "198.51.100.7"))
                    .as("rejected: no group").isEmpty();
            List<AaaMethod> localFirst = List.of(AaaMethod.of(AaaMethod.Kind.LOCAL), AaaMethod.group("radius"));
            assertThat(AaaMethod.asksServers(localFirst)).as("what the checker and the engine ask").isTrue();
            assertThat(logins.authorizeGroup(localFirst, "testgroup", Ipv4.parse("127.0.0.1"), "198.51.100.7"))
                    .as("local group radius: no local group, so RADIUS gives it")
                    .hasValueSatisfying(g -> assertThat(g.key()).isEqualTo("cisco321"));
            server.silent = true;
            assertThat(logins.authorizeGroup(List.of(AaaMethod.group("radius"), AaaMethod.of(AaaMethod.Kind.LOCAL)),
                    "testgroup", Ipv4.parse("127.0.0.1"), "198.51.100.7")).as("silence, and no local group").isEmpty();
        }
    }
}
