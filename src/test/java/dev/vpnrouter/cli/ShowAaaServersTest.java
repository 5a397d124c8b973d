package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.LoopbackRadiusServer;
import dev.vpnrouter.radius.RadiusLogins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code test aaa group G USER PASS new-code} and {@code show aaa servers} on the seed hub, whose exec sessions
 * share a RADIUS client with a server on loopback: IOS's verdict lines, and the per-server state and counters those
 * logins left.
 */
class ShowAaaServersTest {
    private final SeedExecLab lab = new SeedExecLab();

    private ExecSession configured(int port) {
        ExecSession vty = lab.hubExec.openVty("gfullage", 15, "10.1.1.10", lab.now());
        vty.execute("configure terminal", lab.now());
        for (String line : ("""
                radius server LOOP
                 address ipv4 127.0.0.1 auth-port %d acct-port %d
                 key loop-secret
                radius-server timeout 1
                radius-server retransmit 1
                aaa group server radius CORP
                 server name LOOP
                """.formatted(port, port + 1)).split("\n")) {
            assertThat(vty.execute(line, lab.now())).as(line).isEmpty();
        }
        vty.execute("end", lab.now());
        return vty;
    }

    @Test
    @Timeout(60)
    void testAaaAnswersAsIosAndShowAaaServersCountsWhatHappened() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret").user("alice", "wonder",
                Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, Ipv4.parse("10.5.5.42")),
                Attribute.ciscoAvPair("ipsec:tunnel-password=groupkey"),
                Attribute.ciscoAvPair("ipsec:tunnel-password*opt=optionalkey"), // "*": an optional pair, masked too
                Attribute.ciscoAvPair("ipsec:dns-servers=10.2.2.2"));
                RadiusLogins radius = new RadiusLogins(RadiusGroups.NONE)) {
            lab.hubExec.radius(radius);
            ExecSession vty = configured(server.port());

            assertThat(vty.execute("test aaa group CORP alice wonder new-code", lab.now())).isEqualTo("""
                    User successfully authenticated

                    USER ATTRIBUTES

                    username             0   "alice"
                    addr                 0   10.5.5.42
                    tunnel-password      0   "*****"
                    tunnel-password      0   "*****"
                    dns-servers          0   "10.2.2.2"
                    """);
            assertThat(vty.execute("test aaa group radius alice wrong new-code", lab.now()))
                    .isEqualTo("User rejected\n");
            assertThat(vty.execute("test aaa group NOSUCH alice wonder new-code", lab.now()))
                    .isEqualTo("% Server group NOSUCH is not defined\n");
            server.silent = true;
            assertThat(vty.execute("test aaa group radius alice wonder new-code", lab.now()))
                    .isEqualTo("No authoritative response from any server.\n");

            assertThat(vty.execute("show aaa servers", lab.now())).isEqualTo("""
                    RADIUS: id 1, priority 1, host 127.0.0.1, auth-port %d, acct-port %d
                         State: current UP
                         Dead: total time 0s, count 0
                         Authen: request 3, timeouts 1, failover 0, retransmission 1
                                 Response: accept 1, reject 1, challenge 0
                                 Transaction: success 2, failure 1
                         Account: request 0, timeouts 0, failover 0, retransmission 0
                                 Transaction: success 0, failure 0
                         Dropped: unexpected 0, incorrect 0, malformed 0
                    """.formatted(server.port(), server.port() + 1));
            assertThat(vty.execute("show aaa servers | include Authen", lab.now()))
                    .isEqualTo("     Authen: request 3, timeouts 1, failover 0, retransmission 1\n");
        }
    }

    @Test
    void aRouterWithoutARadiusClientListsItsServersUnasked() {
        ExecSession vty = configured(1812);
        assertThat(vty.execute("show aaa servers", lab.now())).isEqualTo("""
                RADIUS: id 1, priority 1, host 127.0.0.1, auth-port 1812, acct-port 1813
                     State: current UP
                     (not asked yet)
                """);
        assertThat(vty.execute("test aaa group radius alice wonder new-code", lab.now()))
                .isEqualTo("No authoritative response from any server.\n");
        ExecSession user = lab.hubExec.openVty("someone", 1, "10.1.1.11", lab.now());
        assertThat(user.execute("test aaa group radius alice wonder new-code", lab.now()))
                .as("privileged only").contains("% Invalid input");
    }
}
