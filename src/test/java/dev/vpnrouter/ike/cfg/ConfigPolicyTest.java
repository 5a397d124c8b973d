package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.TransformId;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimRouter;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed configs, parsed unchanged, drive the engine: the hub and two spokes come up in the simulation. */
class ConfigPolicyTest {
    static final int HUB = Ipv4.parse("10.48.67.181");

    static ConfigPolicy load(String text) {
        var result = ConfigLoader.load(text);
        assertThat(result.diagnostics()).noneMatch(d -> d.severity() == dev.vpnrouter.config.Severity.ERROR);
        return new ConfigPolicy(result.config());
    }

    static String seed(String name) throws IOException {
        return Files.readString(Path.of("examples/seed", name));
    }

    @Test
    void hubPolicyIsTheSeedsHub() throws IOException {
        ConfigPolicy hub = load(seed("hub.cfg"));
        assertThat(hub.hostname()).isEqualTo("Hub");
        assertThat(hub.ikeProposals()).singleElement().satisfies(p -> {
            assertThat(p.encryption()).isEqualTo(Phase1Attribute.Encryption.TRIPLE_DES_CBC);
            assertThat(p.dhGroup()).isEqualTo(2);
            assertThat(p.lifetimeSeconds()).isEqualTo(86_400);
        });
        assertThat(hub.presharedKeyFor(Ipv4.parse("198.51.100.7")).keyring()).isEqualTo("spokes");
        assertThat(new String(hub.presharedKeyFor(Ipv4.parse("198.51.100.7")).key())).isEqualTo("cisco123");
        assertThat(hub.profileFor(IdPayload.ipv4(Ipv4.parse("198.51.100.7"), 17, 500), 0).name()).isEqualTo("L2L");
        PeerProfile client = hub.profileFor(IdPayload.keyId("testgroup"), 0);
        assertThat(client.name()).isEqualTo("VPNclient");
        assertThat(client.xauthRequired()).isTrue();
        assertThat(client.clientGroup()).isEqualTo("testgroup");
        assertThat(new String(hub.groupKey("testgroup"))).isEqualTo("cisco321");
        assertThat(hub.cryptoMap()).extracting(ChildPolicy::describe)
                .containsExactly("mymap 10 (dynmap 5)", "mymap 10 (dynmap 10)");
        assertThat(hub.cryptoMap().get(0).profile()).isEqualTo("VPNclient");
        assertThat(hub.cryptoMap().get(1).proposals()).singleElement()
                .satisfies(s -> assertThat(s.espTransformId()).isEqualTo(TransformId.Esp.ESP_3DES));
        assertThat(hub.outsideInterface()).isEqualTo("FastEthernet0/0");
        assertThat(hub.warnings()).isEmpty();
    }

    @Test
    void spokePolicyIsTheSeedsSpoke() throws IOException {
        ConfigPolicy spoke = load(seed("spoke.cfg"));
        assertThat(spoke.presharedKeyFor(HUB).keyring()).isEqualTo("default");
        assertThat(spoke.presharedKeyFor(HUB + 1)).isNull();
        ChildPolicy entry = spoke.cryptoMap().getFirst();
        assertThat(entry.peers()).containsExactly(HUB);
        assertThat(entry.selectors()).singleElement().satisfies(p -> {
            assertThat(p.local().ios()).isEqualTo("10.2.0.0/255.255.0.0/0/0");
            assertThat(p.remote().ios()).isEqualTo("10.1.0.0/255.255.0.0/0/0");
        });
        assertThat(entry.lifetimeSeconds()).isEqualTo(3600);
        assertThat(entry.lifetimeKilobytes()).isEqualTo(4_608_000);
    }

    @Test
    void seedConfigsBringUpTwoSpokes() throws IOException {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 11, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, HUB, load(seed("hub.cfg")), 1);
        SimRouter spoke = new SimRouter("spoke", net, Ipv4.parse("10.100.2.102"), load(seed("spoke.cfg")), 2);
        SimRouter spoke2 = new SimRouter("spoke2", net, Ipv4.parse("10.100.3.7"),
                load(seed("spoke.cfg").replace("access-list 100 permit ip 10.2.0.0", "access-list 100 permit ip 10.3.0.0")), 3);
        spoke.run(e -> e.connectAll(0));
        spoke2.run(e -> e.connectAll(0));
        clock.runUntil(10_000);
        assertThat(hub.children()).hasSize(2);
        assertThat(hub.children()).extracting(c -> c.remote().ios())
                .containsExactlyInAnyOrder("10.2.0.0/255.255.0.0/0/0", "10.3.0.0/255.255.0.0/0/0");
        assertThat(hub.children()).allSatisfy(c -> assertThat(c.policy().describe()).isEqualTo("mymap 10 (dynmap 10)"));
        ChildSa s = spoke.children().getFirst();
        assertThat(s.peerAddress()).isEqualTo(HUB);
    }

    @Test
    void volumeLifetimeDisabledGivesSasThatRekeyOnTimeOnly() throws IOException {
        // Before "end": IOS reads nothing after it.
        String disable = "crypto ipsec security-association lifetime kilobytes disable\nend";
        ConfigPolicy hubPolicy = load(seed("hub.cfg").replace("\nend", "\n" + disable));
        assertThat(hubPolicy.cryptoMap()).allSatisfy(e ->
                assertThat(e.lifetimeKilobytes()).isEqualTo(ChildPolicy.NO_VOLUME_LIMIT));
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 13, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, HUB, hubPolicy, 1);
        SimRouter spoke = new SimRouter("spoke", net, Ipv4.parse("10.100.2.102"), load(seed("spoke.cfg").replace("\nend", "\n" + disable)),
                2);
        SimRouter defaults = new SimRouter("spoke2", net, Ipv4.parse("10.100.3.7"), load(seed("spoke.cfg")
                .replace("access-list 100 permit ip 10.2.0.0", "access-list 100 permit ip 10.3.0.0")), 3);
        spoke.run(e -> e.connectAll(0));
        defaults.run(e -> e.connectAll(0));
        clock.runUntil(10_000);
        // Neither side offers a volume lifetime: the SA has none (0) on both, and rekeys on time only.
        assertThat(spoke.children()).singleElement().satisfies(c -> {
            assertThat(c.lifetimeKilobytes()).isZero();
            assertThat(c.lifetimeSeconds()).isEqualTo(3600);
        });
        // A peer that asks for one gets it: the hub takes the spoke's 4,608,000 KB, as its own lifetime is none.
        assertThat(defaults.children()).singleElement()
                .satisfies(c -> assertThat(c.lifetimeKilobytes()).isEqualTo(4_608_000));
        assertThat(hub.children()).extracting(c -> c.lifetimeKilobytes()).containsExactlyInAnyOrder(0L, 4_608_000L);
    }

    @Test
    void keyLookupTakesKeyringsFirstThenGlobalKeys() {
        ConfigPolicy p = load("""
                crypto keyring ring
                  pre-shared-key address 0.0.0.0 0.0.0.0 key wild
                  pre-shared-key address 192.0.2.0 255.255.255.0 key net
                crypto isakmp key host address 192.0.2.9
                """);
        // Keyrings (longest match) come before crypto isakmp key, as `check` warns ("global key shadowed").
        assertThat(new String(p.presharedKeyFor(Ipv4.parse("192.0.2.9")).key())).isEqualTo("net");
        assertThat(new String(p.presharedKeyFor(Ipv4.parse("192.0.2.8")).key())).isEqualTo("net");
        assertThat(new String(p.presharedKeyFor(Ipv4.parse("203.0.113.1")).key())).isEqualTo("wild");
    }

    @Test
    void seedHubCfgServesAVpnClientAndASpokeAtOnce() throws IOException {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 12, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, HUB, load(seed("hub.cfg")), 1);
        SimRouter spoke = new SimRouter("spoke", net, Ipv4.parse("10.100.2.102"), load(seed("spoke.cfg")), 2);
        SimRouter client = new SimRouter("client", net, Ipv4.parse("10.51.82.100"), load("hostname Client\n"), 3);
        java.util.List<dev.vpnrouter.ike.ClientConfig> received = new java.util.ArrayList<>();
        client.onEffect(e -> {
            if (e instanceof dev.vpnrouter.ike.IkeEffect.ClientConfigured c) {
                received.add(c.config());
            }
        });
        spoke.run(e -> e.connectAll(0));
        client.run(e -> e.connectClient(VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "gfullage", "gfullage"), 0));
        clock.runUntil(10_000);

        assertThat(received).singleElement().satisfies(c -> {
            assertThat(Ipv4.format(c.address())).isEqualTo("10.5.5.1");
            assertThat(c.dns()).containsExactly(Ipv4.parse("1.1.1.1"), Ipv4.parse("2.2.2.2"));
            assertThat(c.wins()).containsExactly(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4"));
            assertThat(c.domain()).isEqualTo("cisco.com");
        });
        assertThat(client.children()).hasSize(1);
        assertThat(spoke.children()).hasSize(1);
        assertThat(hub.children()).hasSize(2);
        assertThat(hub.engine().ikeSas()).anySatisfy(sa -> {
            assertThat(sa.profile()).isEqualTo("VPNclient");
            assertThat(sa.capabilities()).contains("X");
        }).anySatisfy(sa -> {
            assertThat(sa.profile()).isEqualTo("L2L");
            assertThat(sa.capabilities()).doesNotContain("X");
        });
    }

    /** The seed hub running {@code hubCfg} and our VPN client, connected at 0 and run for 10 s. */
    record ClientLab(SimScheduler clock, SimRouter hub, SimRouter client,
            java.util.List<dev.vpnrouter.ike.ClientConfig> received, java.util.List<String> deleted) {
    }

    static ClientLab clientLab(long seed, String hubCfg) {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, seed, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, HUB, load(hubCfg), 1);
        SimRouter client = new SimRouter("client", net, Ipv4.parse("10.51.82.100"), load("hostname Client\n"), 3);
        java.util.List<dev.vpnrouter.ike.ClientConfig> received = new java.util.ArrayList<>();
        java.util.List<String> deleted = new java.util.ArrayList<>();
        client.onEffect(e -> {
            switch (e) {
                case dev.vpnrouter.ike.IkeEffect.ClientConfigured c -> received.add(c.config());
                case dev.vpnrouter.ike.IkeEffect.DeleteChild d -> deleted.add(d.reason());
                default -> { }
            }
        });
        client.run(e -> e.connectClient(VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "gfullage", "gfullage"), 0));
        clock.runUntil(10_000);
        return new ClientLab(clock, hub, client, received, deleted);
    }

    @Test
    void ourClientRenewsPhase1BeforeTheHubEndsItAndKeepsItsAddressAndTunnel() throws IOException {
        // max-logins 1: the renewal is the same login, not a second one.
        ClientLab lab = clientLab(14, seed("hub.cfg").replace("  pool ippool\n", "  pool ippool\n  max-logins 1\n"));
        SimRouter hub = lab.hub();
        SimRouter client = lab.client();
        int firstConnId = client.engine().ikeSas().iterator().next().connId();

        // The hub's phase 1 lives 24 hours (86,400 s): three of them go by; the client must stay connected.
        for (long hour = 1; hour <= 72; hour++) {
            lab.clock().runUntil(hour * 3_600_000);
            // One tunnel; during a rekey's 30-second grace the old SA pair is still there beside the new one.
            assertThat(client.children()).as("tunnel at hour " + hour).isNotEmpty()
                    .extracting(c -> c.remote().ios()).containsOnly("0.0.0.0/0.0.0.0/0/0");
            assertThat(hub.children()).as("hub's tunnel at hour " + hour).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(hub.engine().addressPool("ippool").inUse()).as("addresses at hour " + hour).isEqualTo(1);
        }
        assertThat(client.engine().ikeSas()).singleElement()
                .satisfies(sa -> assertThat(sa.connId()).isNotEqualTo(firstConnId));
        assertThat(hub.engine().ikeSas()).singleElement()
                .satisfies(sa -> assertThat(sa.capabilities()).contains("X"));
        assertThat(lab.received()).as("configured once: the address never changed").singleElement()
                .satisfies(c -> assertThat(Ipv4.format(c.address())).isEqualTo("10.5.5.1"));
        assertThat(lab.deleted()).as("old tunnels go only once replaced").containsOnly("rekeyed");
        assertThat(hub.engine().counters().authFailures).isZero();
    }

    @Test
    void aRenewalTheHubRefusesLeavesTheOldSaServingUntilItsEnd() throws IOException {
        String hubCfg = seed("hub.cfg").replace("  group 2\n", "  group 2\n  lifetime 600\n");
        ClientLab lab = clientLab(16, hubCfg);
        SimRouter hub = lab.hub();
        ChildSa tunnel = lab.client().children().getFirst();
        // The user's password changes on the hub: the client's renewal (at 85-90% of 600 s) fails Xauth.
        String changed = hubCfg.replace("username gfullage password 7 0201024E070A0E2649",
                "username gfullage password 0 changed");
        assertThat(changed).isNotEqualTo(hubCfg);
        hub.run(e -> e.reconfigure(load(changed)));
        lab.clock().runUntil(590_000);
        assertThat(hub.engine().counters().authFailures).as("renewals refused").isPositive();
        assertThat(lab.client().children()).as("the old SA still carries the tunnel").containsExactly(tunnel);
        assertThat(hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
        assertThat(hub.engine().ikeSaCount()).isLessThanOrEqualTo(2);
        // At the end of the hub's phase 1 the client is out, and the hub holds nothing for it.
        lab.clock().runUntil(700_000);
        assertThat(hub.engine().addressPool("ippool").inUse()).isZero();
        assertThat(hub.children()).isEmpty();
    }

    @Test
    void aRenewalThatGetsNowhereLeavesTheOldSaServingAndTheNextOneSucceeds() throws IOException {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 18, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, HUB, load(seed("hub.cfg").replace("  group 2\n",
                "  group 2\n  lifetime 3600\n")), 1);
        int clientAddress = Ipv4.parse("10.51.82.100");
        SimRouter client = new SimRouter("client", net, clientAddress, load("hostname Client\n"), 3);
        // Phase 1s told apart by initiator cookie: the connection, then the first renewal, whose Aggressive Mode
        // passes and nothing after it (Xauth, Mode Config, DPD, the hub's Delete) in either direction.
        java.util.List<Long> cookies = new java.util.ArrayList<>();
        long[] dropped = {0};
        java.util.function.Predicate<dev.vpnrouter.sim.SimPacket> lost = p -> {
            if (p.protocol() != dev.vpnrouter.sim.SimPacket.UDP || p.payload().length < 28
                    || (p.srcPort() != 500 && p.dstPort() != 500)) {
                return false;
            }
            long cookie = java.nio.ByteBuffer.wrap(p.payload()).getLong(0);
            if (!cookies.contains(cookie)) {
                cookies.add(cookie);
            }
            return cookies.indexOf(cookie) == 1 && p.payload()[18] != 4;
        };
        for (SimRouter router : java.util.List.of(hub, client)) {
            int address = router == hub ? HUB : clientAddress;
            net.detach(address);
            net.attach(address, p -> {
                if (lost.test(p)) {
                    dropped[0]++;
                } else {
                    router.receive(p);
                }
            });
        }
        client.run(e -> e.connectClient(VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "gfullage", "gfullage"), 0));
        clock.runUntil(10_000);
        assertThat(client.children()).hasSize(1);

        clock.runUntil(3_700_000); // renewals from 3,060 s; the first phase 1 ends at 3,600 s
        assertThat(dropped[0]).as("the first renewal got nowhere").isPositive();
        assertThat(cookies).as("the connection, the renewal that failed, the one that worked").hasSize(3);
        assertThat(client.children()).as("the tunnel").isNotEmpty();
        assertThat(client.engine().ikeSaCount()).isEqualTo(1);
        assertThat(hub.engine().ikeSaCount()).isEqualTo(1);
        assertThat(hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
    }

    @Test
    void aHubPhase1ShorterThanTheTunnelsIsRenewedInTimeAndTheTunnelPassesToTheNewSa() throws IOException {
        // 600 s on the hub; the client offers 86,400 and Aggressive Mode echoes it: Mode Config's ADDRESS_EXPIRY
        // is how the client learns the hub's figure. The IPsec SAs live 3,600 s, beyond several phase 1s.
        ClientLab lab = clientLab(15, seed("hub.cfg").replace("  group 2\n", "  group 2\n  lifetime 600\n"));
        ChildSa first = lab.client().children().getFirst();
        for (long minute = 1; minute <= 50; minute++) {
            lab.clock().runUntil(minute * 60_000);
            assertThat(lab.client().children()).as("client's tunnel at minute " + minute).contains(first);
            assertThat(lab.hub().children()).as("hub's tunnel at minute " + minute).hasSize(1);
            assertThat(lab.hub().engine().addressPool("ippool").inUse()).isEqualTo(1);
        }
        assertThat(lab.hub().engine().ikeSas()).as("renewed 4 times, the old ones gone").hasSize(1);
        assertThat(lab.client().engine().ikeSas()).hasSize(1);
        assertThat(lab.received()).singleElement();
    }

    @Test
    void aWrongXauthPasswordFromTheSeedHubIsRefused() throws IOException {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 13, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, HUB, load(seed("hub.cfg")), 1);
        SimRouter client = new SimRouter("client", net, Ipv4.parse("10.51.82.100"), load("hostname Client\n"), 3);
        client.run(e -> e.connectClient(VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "gfullage", "wrong"), 0));
        clock.runUntil(120_000);
        assertThat(client.children()).isEmpty();
        assertThat(hub.children()).isEmpty();
    }
}
