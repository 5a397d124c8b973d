package dev.vpnrouter.radius;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.RadiusGroups;
import dev.vpnrouter.policy.LoginMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's one RADIUS client, against a RADIUS server on loopback: every group asks through one socket with one
 * set of counters per server, and a reconfiguration that replaces the client lets the logins it is waiting on end
 * with their server's answer.
 */
class RadiusLoginsTest {
    private static final int NAS = Ipv4.parse("127.0.0.1");

    private static RadiusGroups groups(int port, int timeoutSeconds) {
        return RadiusGroups.of(ConfigLoader.load("""
                aaa new-model
                radius server LOOP
                 address ipv4 127.0.0.1 auth-port %d acct-port %d
                 key loop-secret
                radius-server timeout %d
                radius-server retransmit 1
                aaa group server radius CORP
                 server name LOOP
                """.formatted(port, port + 1, timeoutSeconds)).config());
    }

    @Test
    @Timeout(30)
    void everyGroupAsksThroughOneSocketAndOneSetOfCounters() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret").user("alice", "wonder");
                RadiusLogins logins = new RadiusLogins(groups(0, 2))) {
            logins.update(groups(server.port(), 2));
            assertThat(logins.login("radius", "alice", "wonder", NAS, "198.51.100.7"))
                    .isEqualTo(LoginMethods.Result.PASS);
            assertThat(logins.login("CORP", "alice", "wrong", NAS, "198.51.100.7"))
                    .isEqualTo(LoginMethods.Result.FAIL);
            assertThat(logins.login("NOSUCH", "alice", "wonder", NAS, "198.51.100.7"))
                    .as("a group the configuration lacks asks no one").isEqualTo(LoginMethods.Result.ERROR);
            assertThat(server.sourcePorts).hasSize(2);
            assertThat(server.sourcePorts.get(1)).as("one socket for both groups").isEqualTo(server.sourcePorts.get(0));
            RadiusTransport.ServerState state = logins.servers().getFirst();
            assertThat(state.name()).isEqualTo("LOOP");
            assertThat(state.requests()).isEqualTo(2);
            assertThat(state.accepts()).isEqualTo(1);
            assertThat(state.rejects()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(30)
    void aReconfigurationFailsNoLoginInFlight() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret").user("alice", "wonder");
                RadiusLogins logins = new RadiusLogins(groups(0, 5))) {
            logins.update(groups(server.port(), 5));
            server.hold();
            CompletableFuture<LoginMethods.Result> inFlight = CompletableFuture.supplyAsync(
                    () -> logins.login("radius", "alice", "wonder", NAS, "198.51.100.7"));
            assertThat(server.awaitArrival(5_000)).isTrue();
            logins.update(groups(server.port(), 3)); // new timers: a new client; the old one still waits
            server.releaseHeld();
            assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(LoginMethods.Result.PASS);
            assertThat(logins.login("radius", "alice", "wonder", NAS, "198.51.100.7"))
                    .isEqualTo(LoginMethods.Result.PASS);
            assertThat(server.sourcePorts).hasSize(2);
            assertThat(server.sourcePorts.get(1)).as("the new client's own socket")
                    .isNotEqualTo(server.sourcePorts.get(0));
            assertThat(logins.servers().getFirst().requests()).as("the new client's counters").isEqualTo(1);
        }
    }

    @Test
    @Timeout(30)
    void anAcceptsAttributesBecomeTheUsersAuthorizationAndAMalformedOneIsNotApplied() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret")
                .user("alice", "wonder", Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, Ipv4.parse("10.5.5.42")),
                        Attribute.text(Attribute.FRAMED_POOL, "vpnpool"),
                        Attribute.integer(Attribute.SESSION_TIMEOUT, 3600))
                .user("bob", "builder", new Attribute(Attribute.FRAMED_IP_ADDRESS, new byte[] {10, 5, 5}),
                        Attribute.integer(Attribute.SESSION_TIMEOUT, 60))
                .user("carol", "singer", Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, 0xfffffffe));
                RadiusLogins logins = new RadiusLogins(groups(server.port(), 2))) {
            assertThat(logins.authenticate("radius", "alice", "wonder", NAS, null).authorization("alice"))
                    .isEqualTo(new dev.vpnrouter.policy.UserAuthorization(Ipv4.parse("10.5.5.42"), "vpnpool", 3600));
            assertThat(logins.authenticate("radius", "bob", "builder", NAS, null).authorization("bob"))
                    .as("a three-byte address is not applied; the rest is")
                    .isEqualTo(new dev.vpnrouter.policy.UserAuthorization(0, null, 60));
            assertThat(logins.authenticate("radius", "carol", "singer", NAS, null).authorization("carol"))
                    .as("255.255.255.254: the NAS picks").isEqualTo(dev.vpnrouter.policy.UserAuthorization.NONE);
            assertThat(logins.authenticate("radius", "alice", "wrong", NAS, null).authorization("alice"))
                    .isEqualTo(dev.vpnrouter.policy.UserAuthorization.NONE);
        }
    }

    /**
     * Issue 15: a user's own Cisco-AVPairs in its Accept: the per-user ones apply (user-vpn-group, DNS, domain,
     * include-local-lan, ipsec:addr-pool when no Framed-Pool), a malformed one does not, and group-only ones (the
     * group key, max-logins) change nothing for a user.
     */
    @Test
    @Timeout(30)
    void aUsersOwnAvPairsOverrideTheGroupWhereIosTakesThemPerUser() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret")
                .user("dave", "pw", Attribute.ciscoAvPair("ipsec:user-vpn-group=sales"),
                        Attribute.ciscoAvPair("ipsec:dns-servers=10.9.9.1 10.9.9.2"),
                        Attribute.ciscoAvPair("ipsec:default-domain=sales.example"),
                        Attribute.ciscoAvPair("ipsec:user-include-local-lan=1"),
                        Attribute.ciscoAvPair("ipsec:wins-servers=not-an-address"),
                        Attribute.ciscoAvPair("ipsec:addr-pool=salespool"),
                        Attribute.ciscoAvPair("ipsec:max-logins=99"))
                .user("erin", "pw", Attribute.text(Attribute.FRAMED_POOL, "framed"),
                        Attribute.ciscoAvPair("ipsec:addr-pool=avpair"),
                        Attribute.ciscoAvPair("ipsec:user-save-password=maybe"));
                RadiusLogins logins = new RadiusLogins(groups(server.port(), 2))) {
            dev.vpnrouter.policy.UserAuthorization dave = logins.authenticate("radius", "dave", "pw", NAS, null)
                    .authorization("dave");
            assertThat(dave).isEqualTo(new dev.vpnrouter.policy.UserAuthorization(0, "salespool", 0,
                    List.of(Ipv4.parse("10.9.9.1"), Ipv4.parse("10.9.9.2")), List.of(), "sales.example", true, null,
                    "sales"));
            assertThat(dave.groupRefusal("sales")).isNull();
            assertThat(dave.groupRefusal("testgroup")).contains("user-vpn-group sales");
            assertThat(dave.wins(List.of(Ipv4.parse("3.3.3.3")))).as("the malformed pair leaves the group's")
                    .containsExactly(Ipv4.parse("3.3.3.3"));
            dev.vpnrouter.policy.UserAuthorization erin = logins.authenticate("radius", "erin", "pw", NAS, null)
                    .authorization("erin");
            assertThat(erin.framedPool()).as("Framed-Pool wins over ipsec:addr-pool").isEqualTo("framed");
            assertThat(erin.savePassword()).as("not a boolean: the group's").isNull();
        }
    }

    @Test
    @Timeout(30)
    void accountingGoesToTheAccountingPortAndIsCountedApart() throws Exception {
        try (LoopbackRadiusServer auth = new LoopbackRadiusServer("loop-secret").user("alice", "wonder");
                LoopbackRadiusServer acct = new LoopbackRadiusServer("loop-secret");
                RadiusLogins logins = new RadiusLogins(RadiusGroups.of(ConfigLoader.load("""
                        aaa new-model
                        radius server LOOP
                         address ipv4 127.0.0.1 auth-port %d acct-port %d
                         key loop-secret
                        radius-server timeout 1
                        radius-server retransmit 0
                        """.formatted(auth.port(), acct.port())).config()))) {
            AccountingRecords.Session session = new AccountingRecords.Session("00000001", "alice",
                    Ipv4.parse("10.5.5.42"), "198.51.100.7", NAS);
            assertThat(logins.account("radius", AccountingRecords.start(session)).get(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(logins.login("radius", "alice", "wonder", NAS, null)).isEqualTo(LoginMethods.Result.PASS);
            assertThat(acct.received).containsExactly("alice");
            assertThat(auth.received).containsExactly("alice");
            assertThat(acct.sourcePorts).as("one socket for both kinds").isEqualTo(auth.sourcePorts);
            RadiusTransport.ServerState st = logins.servers().getFirst();
            assertThat(st.accountingRequests()).isEqualTo(1);
            assertThat(st.accountingResponses()).isEqualTo(1);
            assertThat(st.requests()).isEqualTo(1);
            acct.silent = true;
            assertThat(logins.account("radius", AccountingRecords.start(session)).get(10, TimeUnit.SECONDS))
                    .as("silence: the caller's queue keeps it").isFalse();
            assertThat(logins.servers().getFirst().accountingTimeouts()).isEqualTo(1);
        }
    }

    /**
     * Fail closed: the group's own record (asked for with the group name and the password {@code cisco}) is no login.
     * Whoever knows the group name and key would otherwise pass Xauth, or a vty login, as the group.
     */
    @Test
    @Timeout(30)
    void theGroupsOwnRecordIsNoLoginAndIsAskedForAsOutbound() throws Exception {
        try (LoopbackRadiusServer server = new LoopbackRadiusServer("loop-secret")
                .user("testgroup", "cisco", Attribute.ciscoAvPair("ipsec:tunnel-password=cisco321"),
                        Attribute.ciscoAvPair("ipsec:addr-pool=sqlpool"));
                RadiusLogins logins = new RadiusLogins(groups(server.port(), 2))) {
            RadiusLogins.Verdict login = logins.authenticate("radius", "testgroup", "cisco", NAS, "198.51.100.7");
            assertThat(login.result()).isEqualTo(LoginMethods.Result.FAIL);
            assertThat(login.authorization("testgroup")).isEqualTo(dev.vpnrouter.policy.UserAuthorization.NONE);
            var group = logins.authorizeGroup(List.of(new dev.vpnrouter.config.model.AaaMethod(
                    dev.vpnrouter.config.model.AaaMethod.Kind.GROUP, java.util.Optional.of("radius"))), "testgroup",
                    NAS, "198.51.100.7");
            assertThat(group).as("the same record is the group's policy").isPresent();
            assertThat(server.serviceTypes).as("a login carries no Service-Type; a group lookup Outbound-User")
                    .containsExactly(-1L, (long) Attribute.SERVICE_TYPE_OUTBOUND);
        }
    }
}
