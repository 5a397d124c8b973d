package dev.vpnrouter.client;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ClientConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16: the hub's DNS names reach the resolver file only when they are DNS names. */
class VpnClientDnsTest {
    static final int HUB = Ipv4.parse("203.0.113.2");

    static ClientConfig config(String domain, List<String> splitDns) {
        return ClientConfig.EMPTY.withDnsNames(domain, splitDns);
    }

    static ClientConfig withDns(ClientConfig c) {
        return new ClientConfig(c.address(), c.netmask(), List.of(Ipv4.parse("10.1.1.53")), c.wins(), c.domain(),
                c.splitNetworks(), c.splitDns(), c.banner(), c.savePassword(), c.includeLocalLan(), c.pfs(),
                c.backupServers(), c.addressExpirySeconds(), c.applicationVersion());
    }

    @Test
    void aValidDomainIsTheSearchLine() {
        List<String> warnings = new ArrayList<>();
        ClientConfig cfg = VpnClientSession.withValidDnsNames(withDns(config("corp.example-1.com",
                List.of("intra.example.com"))), warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(cfg.splitDns()).containsExactly("intra.example.com");
        assertThat(VpnClientSession.dnsFileText(cfg, HUB)).isEqualTo("""
                # written by vpnrouter client for the hub 203.0.113.2; restored when it disconnects
                search corp.example-1.com
                nameserver 10.1.1.53
                """);
    }

    @Test
    void aDomainThatIsNoDnsNameIsIgnoredWithAWarningAndNeverWritten() {
        List<String> warnings = new ArrayList<>();
        ClientConfig cfg = VpnClientSession.withValidDnsNames(withDns(config("corp.com\nnameserver 203.0.113.66",
                List.of("ok.example.com", "bad name", "x\u001b[2J"))), warnings::add);
        assertThat(cfg.domain()).isNull();
        assertThat(cfg.splitDns()).containsExactly("ok.example.com");
        assertThat(warnings).containsExactly(
                "vpnrouter client: the hub's default domain \"corp.com\\x0anameserver 203.0.113.66\" is not a DNS "
                        + "name (letters, digits, hyphens, dots; labels of 1-63, 253 at most): ignored",
                "vpnrouter client: the hub's split DNS name \"bad name\" is not a DNS name: ignored",
                "vpnrouter client: the hub's split DNS name \"x\\x1b[2J\" is not a DNS name: ignored");
        assertThat(VpnClientSession.dnsFileText(cfg, HUB)).doesNotContain("203.0.113.66", "search")
                .contains("nameserver 10.1.1.53\n");
    }

    @Test
    void theStatisticsShowTheHubsBannerLineByLineEscaped() {
        ClientConfig c = ClientConfig.EMPTY;
        ClientConfig cfg = new ClientConfig(c.address(), c.netmask(), c.dns(), c.wins(), "x\u001b.com",
                c.splitNetworks(), c.splitDns(), "Welcome\u001b]0;owned\u0007\r\nsecond line", c.savePassword(),
                c.includeLocalLan(), c.pfs(), c.backupServers(), c.addressExpirySeconds(), c.applicationVersion());
        assertThat(VpnClientSession.describe(cfg, null, null)).contains(
                "  Default domain:  x\\x1b.com\n",
                "  Banner:          Welcome\\x1b]0;owned\\x07\n"
                        + "                   second line\n").doesNotContain("\u001b");
    }
}
