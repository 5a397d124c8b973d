package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNat;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's hub with its spoke and VPN clients (Aggressive Mode, Xauth, Mode Config, Quick Mode) in one JVM. */
class RemoteAccessTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int CLIENT = Ipv4.parse("198.51.100.200");
    static final int NAT_PUBLIC = Ipv4.parse("192.0.2.2");
    static final int CLIENT_INSIDE = Ipv4.parse("192.168.1.10");
    static final int ADDRESS_1 = Ipv4.parse("10.5.5.1");

    static final class Lab {
        final SimScheduler clock = new SimScheduler(0);
        final SimNetwork net;
        final LabRouter hub;
        final TestPolicy hubPolicy;
        long seed;

        Lab(long seed, FaultModel faults, TestPolicy hubPolicy) {
            this.seed = seed;
            this.net = new SimNetwork(clock, seed, faults);
            this.hubPolicy = hubPolicy;
            this.hub = new LabRouter("hub", net, HUB, hubPolicy, seed + 1);
        }

        Lab(long seed) {
            this(seed, FaultModel.PERFECT, TestPolicy.seedHub());
        }

        LabRouter spoke() {
            return new LabRouter("spoke", net, SPOKE,
                    TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), seed + 2);
        }

        LabRouter client(int address) {
            return client(address, 0);
        }

        /** A client host; {@code boot} tells a rebooted host from its earlier life (a fresh random state). */
        LabRouter client(int address, int boot) {
            return new LabRouter("client-" + Ipv4.format(address), net, address, TestPolicy.client(),
                    seed + 3 + address + 1_000_003L * boot);
        }

        LabRouter clientBehindNat(SimNat nat, int inside) {
            LabRouter r = new LabRouter("client-" + Ipv4.format(inside), null == nat ? net : net, inside,
                    TestPolicy.client(), seed + 5 + inside);
            nat.attachInside(inside, r);
            return r;
        }

        void connect(LabRouter client, VpnClientProfile profile) {
            client.run(e -> e.connectClient(profile, clock.now()));
        }

        void runFor(long millis) {
            clock.runUntil(clock.now() + millis);
        }
    }

    static VpnClientProfile seedClient(String password) {
        return VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage",
                password);
    }

    /** A client with the group key but no user: it cannot answer Xauth. */
    static VpnClientProfile noCredentials() {
        return VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII), null, null);
    }

    @Test
    void hubSpokeAndClientComeUpTogether() {
        Lab lab = new Lab(1);
        LabRouter spoke = lab.spoke();
        LabRouter client = lab.client(CLIENT);
        spoke.run(e -> e.connectAll(0));
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(10_000);

        assertThat(lab.hub.engine().counters().internalErrors).isZero();
        assertThat(client.engine().counters().internalErrors).isZero();
        // The client got the seed's settings.
        assertThat(client.configured).hasSize(1);
        ClientConfig cfg = client.configured.getFirst();
        assertThat(Ipv4.format(cfg.address())).isEqualTo("10.5.5.1");
        assertThat(cfg.dns()).containsExactly(Ipv4.parse("1.1.1.1"), Ipv4.parse("2.2.2.2"));
        assertThat(cfg.wins()).containsExactly(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4"));
        assertThat(cfg.domain()).isEqualTo("cisco.com");
        assertThat(cfg.splitNetworks()).isEmpty();

        // Both tunnels are up.
        assertThat(spoke.children()).hasSize(1);
        assertThat(client.children()).hasSize(1);
        ChildSa clientSide = client.children().getFirst();
        assertThat(clientSide.local()).isEqualTo(TrafficSelector.host(ADDRESS_1));
        assertThat(clientSide.remote()).isEqualTo(TrafficSelector.ANY);
        ChildSa hubSide = lab.hub.children().stream().filter(c -> c.peerAddress() == CLIENT).findFirst()
                .orElseThrow();
        assertThat(hubSide.local()).isEqualTo(TrafficSelector.ANY);
        assertThat(hubSide.remote()).isEqualTo(TrafficSelector.host(ADDRESS_1));
        assertThat(hubSide.outboundKeys()).isEqualTo(clientSide.inboundKeys());
        assertThat(hubSide.inboundKeys()).isEqualTo(clientSide.outboundKeys());
        // The client proposed the Cisco client's 2147483 s; the hub clamped it and said so (RESPONDER-LIFETIME).
        assertThat(hubSide.lifetimeSeconds()).isEqualTo(3600);
        assertThat(clientSide.lifetimeSeconds()).isEqualTo(3600);
        assertThat(client.log).anyMatch(l -> l.contains("processing RESPONDER_LIFETIME notify: 3600 s"));

        // The spoke was never asked for Xauth: no Transaction exchange reached it, and the hub never started one.
        assertThat(spoke.receivedOfExchange(ExchangeType.TRANSACTION)).isZero();
        assertThat(spoke.receivedOfExchange(ExchangeType.IDENTITY_PROTECTION)).isPositive();
        assertThat(lab.hub.logCount("Need XAUTH")).isEqualTo(1);
        assertThat(lab.hub.log).noneMatch(l -> l.contains("CONF_XAUTH") && l.contains(Ipv4.format(SPOKE)));
        assertThat(client.receivedOfExchange(ExchangeType.TRANSACTION)).isEqualTo(3); // REQUEST, SET, REPLY

        IkeSaView clientSa = lab.hub.sas().stream().filter(s -> s.peerAddress() == CLIENT).findFirst().orElseThrow();
        assertThat(clientSa.profile()).isEqualTo("VPNclient");
        assertThat(clientSa.peerIdentity()).isEqualTo("testgroup");
        assertThat(clientSa.xauthUser()).isEqualTo("gfullage");
        assertThat(clientSa.assignedAddress()).isEqualTo(ADDRESS_1);
        assertThat(clientSa.capabilities()).contains("C").contains("X");
        assertThat(clientSa.iosState()).isEqualTo("QM_IDLE");
        IkeSaView spokeSa = lab.hub.sas().stream().filter(s -> s.peerAddress() == SPOKE).findFirst().orElseThrow();
        assertThat(spokeSa.profile()).isEqualTo("L2L");
        assertThat(spokeSa.capabilities()).doesNotContain("X");
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
        assertThat(lab.hub.engine().addressPool("ippool").isAllocated(ADDRESS_1)).isTrue();
        assertThat(lab.hub.log).contains("ISAKMP: Sending private address: 10.5.5.1",
                "ISAKMP: Sending IP4_DNS server address: 1.1.1.1", "ISAKMP: Sending IP4_NBNS server address: 4.4.4.4",
                "ISAKMP: Sending DEFAULT_DOMAIN default domain name: cisco.com");
    }

    @Test
    void clientBehindNatFloatsTo4500() {
        Lab lab = new Lab(2);
        SimNat nat = new SimNat(lab.net, NAT_PUBLIC);
        LabRouter client = lab.clientBehindNat(nat, CLIENT_INSIDE);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(10_000);

        assertThat(client.configured).hasSize(1);
        assertThat(client.children()).hasSize(1);
        IkeSa hubSa = lab.hub.onlySa();
        assertThat(hubSa.peerAddress).isEqualTo(NAT_PUBLIC);
        assertThat(hubSa.natPeer).isTrue();
        assertThat(hubSa.natLocal).isFalse(); // AM3's NAT-D is over port 500, not the floated 4500
        assertThat(hubSa.localPort).isEqualTo(4500);
        assertThat(hubSa.peerPort).isNotEqualTo(500).isNotEqualTo(4500); // the NAT's mapping of the client's 4500
        ChildSa hubSide = lab.hub.children().getFirst();
        assertThat(hubSide.udpEncapsulated()).isTrue();
        assertThat(hubSide.peerPort()).isEqualTo(hubSa.peerPort);
        assertThat(client.onlySa().natLocal).isTrue();
        assertThat(client.children().getFirst().udpEncapsulated()).isTrue();
    }

    @Test
    void clientWithoutXauthAnswerNeverGetsAQuickModeSa() {
        Lab lab = new Lab(3);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, noCredentials());
        lab.runFor(30_000);
        // The hub asked, the client had nothing to answer with: the SA waits in CONF_XAUTH, with no address.
        assertThat(client.engine().counters().lastFailure).contains("none is configured");
        assertThat(lab.hub.onlySa().iosState()).isEqualTo("CONF_XAUTH");
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(lab.hub.children()).isEmpty();
        lab.runFor(120_000);
        assertThat(client.children()).isEmpty();
        assertThat(lab.hub.children()).isEmpty();
        assertThat(client.configured).isEmpty();
        assertThat(lab.hub.engine().ikeSaCount()).isZero();
        assertThat(lab.hub.engine().counters().lastFailure).contains("Xauth: no answer from 198.51.100.200 within 60 s");
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(lab.hub.engine().counters().internalErrors).isZero();
    }

    @Test
    void quickModeBeforeXauthIsRefused() {
        Lab lab = new Lab(4);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, noCredentials());
        // Phase 1 completes at once; Xauth is then pending on the hub.
        assertThat(lab.clock.runUntil(() -> client.engine().establishedCount() == 1, 5_000)).isTrue();
        IkeSa sa = client.onlySa();
        var entry = new dev.vpnrouter.ike.cfg.ChildPolicy("client", 1, false, null, 0, List.of(HUB),
                List.of(), null, VpnClientProfile.DEFAULT_ESP, 0, 3600, 0, null, false);
        client.run(e -> QuickModeInitiator.start(e, sa, entry,
                new dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair(TrafficSelector.host(ADDRESS_1),
                        TrafficSelector.ANY), null, lab.clock.now()));
        lab.runFor(5_000);
        assertThat(lab.hub.log).anyMatch(l -> l.contains("Quick Mode from 198.51.100.200 before Xauth completed, "
                + "refused"));
        assertThat(lab.hub.engine().counters().lastFailure).isEqualTo("phase 2: Quick Mode before Xauth completed");
        assertThat(lab.hub.children()).isEmpty();
        assertThat(client.children()).isEmpty();
    }

    @Test
    void wrongPasswordThreeTimesDeletesTheSa() {
        Lab lab = new Lab(5);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("not-the-password"));
        lab.runFor(20_000);
        assertThat(lab.hub.logCount("request attribute XAUTH_USER_NAME_V2")).isEqualTo(3);
        assertThat(lab.hub.log.stream().filter(l -> l.startsWith("ISAKMP (0:1): Xauth: authentication of user"))
                .count()).isEqualTo(3);
        assertThat(lab.hub.engine().counters().lastFailure)
                .isEqualTo("Xauth: authentication of user 'gfullage' from 198.51.100.200 failed (attempt 3 of 3)");
        assertThat(client.engine().counters().lastFailure).contains("rejected user gfullage");
        assertThat(lab.hub.engine().ikeSaCount()).isZero();
        assertThat(client.engine().ikeSaCount()).isZero();
        assertThat(client.children()).isEmpty();
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(lab.hub.engine().counters().internalErrors).isZero();
        assertThat(client.engine().counters().internalErrors).isZero();
    }

    @Test
    void secondAttemptWithTheRightPasswordGetsIn() {
        // A user who mistypes once: the REQUEST comes again and the next answer counts.
        TestPolicy hub = TestPolicy.seedHub();
        hub.users.put("gfullage", dev.vpnrouter.ike.cfg.LocalUser.clear("gfullage", "right"));
        Lab lab = new Lab(6, FaultModel.PERFECT, hub);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("wrong"));
        lab.clock.runUntil(() -> lab.hub.logCount("failed (attempt 1 of 3)") == 1, 5_000);
        // The person types the right password for the second request.
        IkeSa sa = client.onlySa();
        sa.vpnClient = new VpnClientSession(seedClient("right"));
        sa.vpnClient.state = VpnClientSession.State.XAUTH_ANSWERED;
        lab.runFor(10_000);
        assertThat(client.configured).hasSize(1);
        assertThat(client.children()).hasSize(1);
        assertThat(lab.hub.logCount("request attribute XAUTH_USER_NAME_V2")).isEqualTo(2);
    }

    @Test
    void wrongGroupKeyAndUnknownGroupLookAlike() {
        Lab lab = new Lab(7);
        LabRouter wrongKey = lab.client(CLIENT);
        LabRouter unknownGroup = lab.client(CLIENT + 1);
        lab.connect(wrongKey, VpnClientProfile.of(HUB, "testgroup", "wrong-key".getBytes(StandardCharsets.US_ASCII),
                "gfullage", "gfullage"));
        lab.connect(unknownGroup, VpnClientProfile.of(HUB, "nosuchgroup",
                "wrong-key".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage"));
        lab.runFor(5_000);
        // Each got an AM2 of the same shape, and each failed the same way.
        byte[] am2a = wrongKey.receivedIsakmp.getFirst();
        byte[] am2b = unknownGroup.receivedIsakmp.getFirst();
        assertThat(am2a.length).isEqualTo(am2b.length);
        assertThat(payloadTypes(am2a)).isEqualTo(payloadTypes(am2b));
        String a = wrongKey.engine().counters().lastFailure;
        String b = unknownGroup.engine().counters().lastFailure;
        assertThat(a).contains("HASH_R").isEqualTo(b);
        assertThat(wrongKey.children()).isEmpty();
        assertThat(unknownGroup.children()).isEmpty();
        lab.runFor(120_000);
        assertThat(lab.hub.engine().ikeSaCount()).isZero();
        assertThat(lab.hub.engine().halfOpenCount()).isZero();
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        // Alike on the wire, but the hub's one-line reasons tell the operator which is which.
        assertThat(lab.hub.log).anyMatch(l -> l.contains("%CRYPTO-6-IKMP_REFUSED: peer " + Ipv4.format(CLIENT))
                && l.contains("(a client that cannot verify HASH_R has another group key)"));
        assertThat(lab.hub.log).anyMatch(l -> l.contains("%CRYPTO-6-IKMP_REFUSED: peer " + Ipv4.format(CLIENT + 1))
                && l.contains("(group nosuchgroup matches no ISAKMP profile: the client got an answer it cannot "
                + "verify)"));
    }

    private static List<Integer> payloadTypes(byte[] isakmp) {
        try {
            var m = (dev.vpnrouter.ike.wire.PlainMessage) dev.vpnrouter.ike.wire.IsakmpCodec.decode(isakmp);
            return m.payloads().types();
        } catch (dev.vpnrouter.ike.wire.IsakmpDecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aggressiveModeDisabledIsRefused() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.aggressiveModeDisabled = true;
        Lab lab = new Lab(9, FaultModel.PERFECT, hub);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(120_000);
        assertThat(lab.hub.engine().ikeSaCount()).isZero();
        assertThat(lab.hub.engine().counters().lastFailure).contains("aggressive-mode disable");
        assertThat(client.engine().counters().lastFailure).contains("timed out in AG_INIT_EXCH");
        assertThat(client.children()).isEmpty();
    }

    @Test
    void thousandClientsComeAndGoAndThePoolIsFullAgain() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.pools.put("ippool", dev.vpnrouter.ike.cfg.AddressPoolConfig.of("ippool", Ipv4.parse("10.5.0.1"),
                Ipv4.parse("10.5.3.254")));
        Lab lab = new Lab(10, FaultModel.PERFECT, hub);
        int n = 1000;
        List<LabRouter> clients = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            LabRouter c = lab.client(Ipv4.parse("100.64.0.0") + i);
            clients.add(c);
            long at = i * 5L; // a login every 5 ms
            lab.clock.at(at, () -> lab.connect(c, seedClient("gfullage")));
        }
        lab.runFor(30_000);
        AddressPool pool = lab.hub.engine().addressPool("ippool");
        assertThat(pool.inUse()).isEqualTo(n);
        assertThat(lab.hub.children()).hasSize(n);
        assertThat(clients).allSatisfy(c -> assertThat(c.children()).hasSize(1));
        assertThat(clients.stream().map(c -> c.configured.getFirst().address()).distinct().count()).isEqualTo(n);
        assertThat(lab.hub.engine().counters().internalErrors).isZero();

        for (LabRouter c : clients) {
            c.run(e -> e.shutdown(lab.clock.now()));
        }
        lab.runFor(10_000);
        assertThat(pool.inUse()).isZero();
        assertThat(lab.hub.children()).isEmpty();
        assertThat(lab.hub.engine().ikeSaCount()).isZero();
    }

    @Test
    void poolExhaustionRefusesTheClientCleanly() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.pools.put("ippool", dev.vpnrouter.ike.cfg.AddressPoolConfig.of("ippool", ADDRESS_1,
                Ipv4.parse("10.5.5.2")));
        Lab lab = new Lab(11, FaultModel.PERFECT, hub);
        LabRouter[] clients = {lab.client(CLIENT), lab.client(CLIENT + 1), lab.client(CLIENT + 2)};
        for (LabRouter c : clients) {
            lab.connect(c, seedClient("gfullage"));
            lab.runFor(2_000);
        }
        assertThat(clients[0].children()).hasSize(1);
        assertThat(clients[1].children()).hasSize(1);
        assertThat(clients[2].children()).isEmpty();
        assertThat(clients[2].configured).isEmpty();
        assertThat(clients[2].engine().ikeSaCount()).isZero(); // the hub's Delete reached it
        assertThat(lab.hub.engine().counters().lastFailure).contains("address pool ippool is exhausted");
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(2);
        assertThat(lab.hub.engine().ikeSaCount()).isEqualTo(2);
    }

    @Test
    void reconnectWithInitialContactGetsTheSameAddressBack() {
        Lab lab = new Lab(12);
        lab.hubPolicy.users.put("other", dev.vpnrouter.ike.cfg.LocalUser.clear("other", "pw"));
        VpnClientProfile other = VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII),
                "other", "pw");
        LabRouter first = lab.client(CLIENT);
        lab.connect(first, seedClient("gfullage"));
        lab.runFor(3_000);
        LabRouter second = lab.client(CLIENT + 1);
        lab.connect(second, other);
        lab.runFor(3_000);
        assertThat(second.configured.getFirst().address()).isEqualTo(ADDRESS_1 + 1);

        // The first client reboots (its SAs are lost) and reconnects: INITIAL-CONTACT clears its old SA.
        lab.net.detach(CLIENT);
        LabRouter again = lab.client(CLIENT, 1);
        lab.connect(again, seedClient("gfullage"));
        lab.runFor(3_000);
        assertThat(again.configured.getFirst().address()).isEqualTo(ADDRESS_1);
        AddressPool pool = lab.hub.engine().addressPool("ippool");
        assertThat(pool.inUse()).isEqualTo(2);
        assertThat(lab.hub.engine().ikeSaCount()).isEqualTo(2);
        assertThat(lab.hub.children()).hasSize(2);
        assertThat(lab.hub.log).anyMatch(l -> l.contains("Process initial contact"));
        assertThat(second.children()).hasSize(1); // the other user was not touched

        // Both leave; the second user comes back first and still gets its own address, not the lowest free one.
        again.run(e -> e.shutdown(lab.clock.now()));
        second.run(e -> e.shutdown(lab.clock.now()));
        lab.runFor(3_000);
        assertThat(pool.inUse()).isZero();
        LabRouter secondAgain = lab.client(CLIENT + 2);
        lab.connect(secondAgain, other);
        lab.runFor(3_000);
        assertThat(secondAgain.configured.getFirst().address()).isEqualTo(ADDRESS_1 + 1);
    }

    @Test
    void maxUsersAndMaxLoginsAreEnforced() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        var g = hubPolicy.groups.get("testgroup");
        hubPolicy.groups.put("testgroup", new dev.vpnrouter.ike.cfg.ClientGroup(g.name(), g.key(), g.dns(), g.wins(),
                g.domain(), g.pool(), 0, null, List.of(), List.of(), null, false, false, false, List.of(), 2, 1));
        hubPolicy.users.put("other", dev.vpnrouter.ike.cfg.LocalUser.clear("other", "pw"));
        hubPolicy.users.put("third", dev.vpnrouter.ike.cfg.LocalUser.clear("third", "pw"));
        Lab lab = new Lab(13, FaultModel.PERFECT, hubPolicy);
        LabRouter a = lab.client(CLIENT);
        lab.connect(a, seedClient("gfullage"));
        lab.runFor(3_000);
        // The same user from a second host (its INITIAL-CONTACT concerns that host only): max-logins 1. From the
        // same address and port it would be the client renewing its phase 1, which takes the login over.
        LabRouter second = lab.client(CLIENT + 3);
        lab.connect(second, seedClient("gfullage"));
        lab.runFor(3_000);
        assertThat(lab.hub.engine().counters().lastFailure).contains("max-logins 1");
        assertThat(second.children()).isEmpty();
        assertThat(a.children()).hasSize(1);
        LabRouter b = lab.client(CLIENT + 1);
        lab.connect(b, VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII),
                "other", "pw"));
        lab.runFor(3_000);
        assertThat(b.children()).hasSize(1);
        LabRouter c = lab.client(CLIENT + 2);
        lab.connect(c, VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII),
                "third", "pw"));
        lab.runFor(3_000);
        assertThat(lab.hub.engine().counters().lastFailure).contains("max-users 2 reached");
        assertThat(c.children()).isEmpty();
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(2);
        assertThat(lab.hub.engine().ikeSaCount()).isEqualTo(2);
    }

    @Test
    void deadPeerDetectionReturnsTheAddress() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.dpd = 10;
        Lab lab = new Lab(14, FaultModel.PERFECT, hubPolicy);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(3_000);
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
        lab.net.detach(CLIENT); // the client's laptop is closed
        lab.runFor(120_000);
        assertThat(lab.hub.engine().counters().lastFailure).isNull();
        assertThat(lab.hub.log).anyMatch(l -> l.contains("DPD: peer 198.51.100.200 is dead"));
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(lab.hub.children()).isEmpty();
        assertThat(lab.hub.engine().orphanChildSas()).isEmpty();
    }

    @Test
    void expiryReturnsTheAddressAndTheClientsIpsecSas() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.proposals = List.of(new dev.vpnrouter.ike.cfg.IkeProposal(10,
                dev.vpnrouter.ike.wire.Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0,
                dev.vpnrouter.ike.crypto.HashAlgorithm.SHA1,
                dev.vpnrouter.ike.wire.Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 2, 600));
        Lab lab = new Lab(15, FaultModel.PERFECT, hubPolicy);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(3_000);
        assertThat(lab.hub.children()).hasSize(1);
        // A client that does not renew its phase 1 (vpnc does not; ours is cut off before it would, at 85-90%).
        lab.runFor(400_000);
        lab.net.detach(CLIENT);
        lab.runFor(200_000);
        assertThat(lab.hub.engine().ikeSaCount()).isZero();
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(lab.hub.children()).isEmpty();
        assertThat(lab.hub.engine().orphanChildSas()).isEmpty();
    }

    /** A client proposing a longer phase-1 lifetime than the hub's policy is told the hub's (IOS's RESPONDER-LIFETIME). */
    @Test
    void aLongerPhase1LifetimeIsAnsweredWithTheHubsOwn() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.proposals = List.of(new dev.vpnrouter.ike.cfg.IkeProposal(10,
                dev.vpnrouter.ike.wire.Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0,
                dev.vpnrouter.ike.crypto.HashAlgorithm.SHA1,
                dev.vpnrouter.ike.wire.Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 2, 600));
        Lab lab = new Lab(15, FaultModel.PERFECT, hubPolicy);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(3_000);
        assertThat(lab.hub.children()).hasSize(1);
        assertThat(lab.hub.onlySa().lifetimeSeconds).isEqualTo(600);
        assertThat(lab.hub.log).containsOnlyOnce("ISAKMP: Sending phase 1 responder lifetime 600");
        assertThat(client.log).anyMatch(l -> l.contains("received notify RESPONDER_LIFETIME"));
        assertThat(client.engine().counters().lastFailure).isNull();

        // The seed's policy (86400 s) is what our client proposes: nothing to tell.
        Lab same = new Lab(16, FaultModel.PERFECT, TestPolicy.seedHub());
        LabRouter other = same.client(CLIENT);
        same.connect(other, seedClient("gfullage"));
        same.runFor(3_000);
        assertThat(same.hub.children()).hasSize(1);
        assertThat(same.hub.log).noneMatch(l -> l.contains("responder lifetime"));
    }

    /** A group with every Unity attribute set and a split ACL (acl 101: 10.1.0.0/16 and 10.9.9.0/24). */
    static TestPolicy unityHub() {
        TestPolicy hub = TestPolicy.seedHub();
        var g = hub.groups.get("testgroup");
        hub.groups.put("testgroup", new dev.vpnrouter.ike.cfg.ClientGroup(g.name(), g.key(), g.dns(), g.wins(),
                g.domain(), g.pool(), Ipv4.parse("255.255.255.0"), "101",
                List.of(TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                        TrafficSelector.subnet(Ipv4.parse("10.9.9.0"), Ipv4.parse("255.255.255.0"))),
                List.of("corp.example", "lab.example"), "Authorized users only", true, true, true,
                List.of("203.0.113.3", "203.0.113.4"), 0, 0));
        return hub;
    }

    @Test
    void unityAttributesSplitTunnelsAndPfs() {
        Lab lab = new Lab(16, FaultModel.PERFECT, unityHub());
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(10_000);
        ClientConfig cfg = client.configured.getFirst();
        assertThat(cfg.netmask()).isEqualTo(Ipv4.parse("255.255.255.0"));
        assertThat(cfg.splitNetworks()).containsExactly(
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("10.9.9.0"), Ipv4.parse("255.255.255.0")));
        assertThat(cfg.splitDns()).containsExactly("corp.example", "lab.example");
        assertThat(cfg.banner()).isEqualTo("Authorized users only");
        assertThat(cfg.savePassword()).isTrue();
        assertThat(cfg.includeLocalLan()).isTrue();
        assertThat(cfg.pfs()).isTrue();
        assertThat(cfg.backupServers()).containsExactly("203.0.113.3", "203.0.113.4");
        assertThat(cfg.addressExpirySeconds()).isBetween(86_000L, 86_400L);
        assertThat(cfg.applicationVersion()).isEqualTo("Cisco IOS Software compatible vpnrouter");
        // One tunnel per split network, with PFS (the phase-1 group) as the group asks.
        assertThat(client.children()).extracting(ChildSa::remote).containsExactlyInAnyOrder(
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("10.9.9.0"), Ipv4.parse("255.255.255.0")));
        assertThat(lab.hub.children()).extracting(ChildSa::local).containsExactlyInAnyOrder(
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("10.9.9.0"), Ipv4.parse("255.255.255.0")));
        assertThat(client.children()).allSatisfy(c -> assertThat(c.policy().pfsGroup()).isEqualTo(2));
    }

    @Test
    void hubNarrowsAVpncStyleProposalToTheSplitNetwork() {
        Lab lab = new Lab(17, FaultModel.PERFECT, unityHub());
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(10_000);
        // Like vpnc: 0.0.0.0/0 <-> our address, whatever the split networks.
        IkeSa sa = client.onlySa();
        var entry = new dev.vpnrouter.ike.cfg.ChildPolicy("vpnc", 1, false, null, 0, List.of(HUB), List.of(), null,
                VpnClientProfile.DEFAULT_ESP, 2, 3600, 0, null, false);
        client.run(e -> QuickModeInitiator.start(e, sa, entry, new dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair(
                TrafficSelector.host(ADDRESS_1), TrafficSelector.ANY), null, lab.clock.now()));
        lab.runFor(5_000);
        // The hub answered 10.1.0.0/16 (the first split network): our strict client declines what vpnc accepts.
        assertThat(lab.hub.log).anyMatch(l -> l.contains("local_proxy= 10.1.0.0/255.255.0.0/0/0 (type=4),"));
        assertThat(client.engine().counters().lastFailure).contains("responder changed the proxy identities");
        // A proposal for someone else's address is refused outright.
        client.run(e -> QuickModeInitiator.start(e, sa, entry, new dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair(
                TrafficSelector.host(ADDRESS_1 + 9), TrafficSelector.ANY), null, lab.clock.now()));
        lab.runFor(5_000);
        assertThat(lab.hub.engine().counters().lastFailure).contains("but Mode Config assigned it 10.5.5.1");
    }

    @Test
    void modeConfigInitiatePushesTheSettings() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.profiles.set(0, new Object[] {new dev.vpnrouter.ike.cfg.PeerProfile("VPNclient", null, true, "testgroup",
                true, 0, 0, "clientauth", false), "group", "testgroup"});
        Lab lab = new Lab(18, FaultModel.PERFECT, hub);
        LabRouter client = lab.client(CLIENT);
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(10_000);
        assertThat(client.configured).hasSize(1);
        assertThat(client.configured.getFirst().address()).isEqualTo(ADDRESS_1);
        assertThat(client.children()).hasSize(1);
        assertThat(lab.hub.log).anyMatch(l -> l.contains("to CONF_ADDR"));
        assertThat(lab.hub.log).anyMatch(l -> l.contains("Mode Config ACK"));
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
        assertThat(lab.hub.onlySa().capabilities()).contains("C");
    }

    @Test
    void lossDuplicationAndReorderingStillBringEveryoneUp() {
        for (long seed = 1; seed <= 15; seed++) {
            Lab lab = new Lab(100 + seed, new FaultModel(0.10, 0.10, 0.05, 20), TestPolicy.seedHub());
            LabRouter spoke = lab.spoke();
            LabRouter client = lab.client(CLIENT);
            SimNat nat = new SimNat(lab.net, NAT_PUBLIC);
            LabRouter natted = lab.clientBehindNat(nat, CLIENT_INSIDE);
            spoke.run(e -> e.connectAll(0));
            lab.connect(client, seedClient("gfullage"));
            lab.connect(natted, seedClient("gfullage"));
            lab.runFor(180_000);
            for (LabRouter r : List.of(spoke, client, natted)) {
                assertThat(r.children()).as("%s seed %d", r.name(), seed).isNotEmpty();
                assertThat(r.engine().counters().internalErrors).isZero();
            }
            assertThat(lab.hub.engine().counters().internalErrors).isZero();
            assertThat(lab.hub.engine().addressPool("ippool").inUse()).as("seed %d", seed).isEqualTo(2);
            assertThat(spoke.receivedOfExchange(ExchangeType.TRANSACTION)).isZero();
        }
    }

    @Test
    void noXauthKeysAreNeverAskedForXauth() {
        // A profile that (wrongly) asks every matching peer for Xauth, as crypto-map-wide Xauth does on IOS.
        for (boolean noXauth : new boolean[] {true, false}) {
            TestPolicy hub = TestPolicy.seedHub();
            hub.profiles.set(1, new Object[] {new dev.vpnrouter.ike.cfg.PeerProfile("L2L", "spokes", true, null,
                    false, 0, 0, "clientauth", false), "address", 0, 0});
            hub.keys.set(0, new Object[] {0, 0, "cisco123", "spokes", noXauth}); // ... key cisco123 [no-xauth]
            Lab lab = new Lab(19, FaultModel.PERFECT, hub);
            LabRouter spoke = lab.spoke();
            spoke.run(e -> e.connectAll(0));
            lab.runFor(90_000);
            if (noXauth) {
                assertThat(spoke.children()).hasSize(1);
                assertThat(spoke.receivedOfExchange(ExchangeType.TRANSACTION)).isZero();
                assertThat(lab.hub.logCount("Need XAUTH")).isZero();
            } else {
                // Control: without no-xauth the spoke is asked, cannot answer, and never gets its tunnel.
                assertThat(spoke.receivedOfExchange(ExchangeType.TRANSACTION)).isPositive();
                assertThat(spoke.log).anyMatch(l -> l.contains("Transaction exchange from 203.0.113.2 dropped"));
                assertThat(spoke.children()).isEmpty();
                assertThat(lab.hub.engine().counters().lastFailure).contains("Xauth: no answer");
            }
        }
    }

    @Test
    void xauthTimeoutDecidesHowLongTheUserMayType() {
        // IOS allows up to 90 s; 150 s also outlasts the request's retransmissions (given up after ~126 s).
        for (int timeout : new int[] {90, 150}) {
            TestPolicy hub = TestPolicy.seedHub();
            hub.xauthTimeoutSeconds = timeout; // crypto isakmp xauth timeout
            Lab lab = new Lab(20, FaultModel.PERFECT, hub);
            LabRouter client = lab.client(CLIENT);
            lab.connect(client, noCredentials());
            lab.runFor(timeout * 1000L - 5_000);
            assertThat(lab.hub.engine().ikeSaCount()).as("timeout %d", timeout).isEqualTo(1);
            if (timeout > 126) {
                assertThat(lab.hub.log).anyMatch(l -> l.contains("waiting for the user until the xauth timeout"));
            }
            lab.runFor(10_000);
            assertThat(lab.hub.engine().ikeSaCount()).isZero();
            assertThat(lab.hub.engine().counters().lastFailure)
                    .contains("within " + timeout + " s (crypto isakmp xauth timeout)");
            assertThat(client.engine().ikeSaCount()).isZero(); // told with a Delete
        }
    }
}
