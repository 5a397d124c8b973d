package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.cfg.LocalUser;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.sim.FaultModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: identity, group and user names and Mode Config strings a peer chose reach log and debug lines and
 * show commands escaped ({@code \xNN}): an ESC or a newline in them can neither drive a terminal nor forge a line.
 */
class HostileStringsTest {
    static final int CLIENT = Ipv4.parse("198.51.100.7");
    static final String HOSTILE = "\u001b[2J\nfake";
    static final String SHOWN = "\\x1b[2J\\x0afake";
    static final byte[] GROUP_KEY = "cisco321".getBytes(StandardCharsets.US_ASCII);

    /** Every line printable ASCII (a tab at most): nothing a terminal or a log would take for control. */
    static void allPrintable(List<String> lines) {
        assertThat(lines).allSatisfy(l -> assertThat(l.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f)))
                .as(l).isTrue());
    }

    @Test
    void idPayloadNamesAreShownEscaped() {
        assertThat(IdPayload.fqdn("vpn.example.com").describe()).isEqualTo("vpn.example.com");
        assertThat(new IdPayload(dev.vpnrouter.ike.wire.IdType.FQDN, 0, 0,
                ("host" + HOSTILE).getBytes(StandardCharsets.UTF_8)).describe()).isEqualTo("host" + SHOWN);
        assertThat(IdPayload.keyId("g\u00e9" + HOSTILE).describe()).isEqualTo("g\\xc3\\xa9" + SHOWN);
        assertThat(IdPayload.keyId("g" + HOSTILE).text()).isEqualTo("g" + HOSTILE); // matching sees the bytes
    }

    @Test
    void aGroupNameWithEscAndNewlineIsEscapedInTheHubsLines() {
        RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(1);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, VpnClientProfile.of(RemoteAccessTest.HUB, "testgroup" + HOSTILE, GROUP_KEY,
                "gfullage", "gfullage"));
        lab.runFor(60_000);

        assertThat(lab.hub.log).contains("\tgroup id     : testgroup" + SHOWN);
        allPrintable(lab.hub.log);
    }

    @Test
    void anXauthUserNameWithEscAndNewlineIsEscapedInTheRefusal() {
        RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(1);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, VpnClientProfile.of(RemoteAccessTest.HUB, "testgroup", GROUP_KEY,
                "gfullage" + HOSTILE, "gfullage"));
        lab.runFor(60_000);

        assertThat(lab.hub.log).anyMatch(l -> l.contains("%CRYPTO-6-IKMP_REFUSED: peer " + Ipv4.format(CLIENT)
                + ": Xauth: authentication of user 'gfullage" + SHOWN + "' from " + Ipv4.format(CLIENT) + " failed"));
        allPrintable(lab.hub.log);
    }

    /**
     * Defence in depth: the configuration's user list matches names exactly, but a name that matched by other
     * rules (here TestPolicy's list, which ignores case: the Kelvin sign's lower case is k) still shows escaped.
     */
    @Test
    void aUserNameThatMatchedIsShownAsTheClientSentIt() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.users.put("kelvin", LocalUser.clear("kelvin", "pw"));
        RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(1, FaultModel.PERFECT, hubPolicy);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, VpnClientProfile.of(RemoteAccessTest.HUB, "testgroup", GROUP_KEY, "\u212aelvin", "pw"));
        lab.runFor(10_000);

        assertThat(lab.hub.engine().ikeSas()).extracting(IkeSaView::xauthUser).containsExactly("\\xe2\\x84\\xaaelvin");
    }

    @Test
    void aHostileHubsDomainAndBannerAreEscapedInTheClientsLines() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        ClientGroup g = hubPolicy.groups.get("testgroup");
        hubPolicy.groups.put("testgroup", new ClientGroup(g.name(), GROUP_KEY, g.dns(), g.wins(),
                "cisco.com" + HOSTILE, g.pool(), g.netmask(), g.splitAcl(), g.splitNetworks(), g.splitDns(),
                "Welcome\u001b]0;owned\u0007" + HOSTILE, g.savePassword(), g.includeLocalLan(), g.pfs(),
                g.backupGateways(), g.maxUsers(), g.maxLogins()));
        RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(1, FaultModel.PERFECT, hubPolicy);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, RemoteAccessTest.seedClient("gfullage"));
        lab.runFor(10_000);

        assertThat(client.configured).hasSize(1);
        ClientConfig cfg = client.configured.getFirst();
        assertThat(cfg.domain()).isEqualTo("cisco.com" + HOSTILE); // what came, for the client to judge
        assertThat(cfg.describe()).contains(", domain cisco.com" + SHOWN,
                ", banner \"Welcome\\x1b]0;owned\\x07" + SHOWN + "\"");
        assertThat(cfg.toString()).isEqualTo("ClientConfig[" + cfg.describe() + "]");
        assertThat(client.log).anyMatch(l -> l.contains("Mode Config from " + Ipv4.format(RemoteAccessTest.HUB)
                + ": ") && l.contains("domain cisco.com" + SHOWN));
        allPrintable(client.log);
    }
}
