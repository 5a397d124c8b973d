package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, failover, in the lab: two hubs with the seed's hub.cfg (each on its own address, both listing both as
 * {@code backup-gateway}), hub 1 cut off the network while a VPN client and a spoke (the seed's spoke.cfg with
 * {@code set peer} hub 1 then hub 2) are connected to it. The client's DPD finds hub 1 dead and it logs in to hub 2
 * with the same credentials; the spoke's DPD does too and its entry moves to its second peer; traffic passes again.
 */
class FailoverLabTest {
    static final int HUB1 = Ipv4.parse("198.51.100.1");
    static final int HUB2 = Ipv4.parse("198.51.100.2");
    static final int HUB3 = Ipv4.parse("198.51.100.3");
    static final int CLIENT = Ipv4.parse("203.0.113.50");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");

    /** The seed hub with its outside address, {@code backup-gateway}s and DPD. */
    static String hubConfig(int outside, List<Integer> backupGateways) throws IOException {
        return hubConfigNaming(outside, backupGateways.stream().map(Ipv4::format).toList());
    }

    /** As {@link #hubConfig}, the backup gateways as the configuration words them (names, anything). */
    static String hubConfigNaming(int outside, List<String> backupGateways) throws IOException {
        String text = Files.readString(Path.of("examples/seed/hub.cfg"))
                .replace("10.48.67.181 255.255.255.224", Ipv4.format(outside) + " 255.255.255.0")
                .replace("ip route 0.0.0.0 0.0.0.0 10.48.66.181", "ip route 0.0.0.0 0.0.0.0 "
                        + Ipv4.format(outside + 254));
        StringBuilder backups = new StringBuilder();
        for (String gw : backupGateways) {
            backups.append("  backup-gateway ").append(gw).append('\n');
        }
        return text.replace("  pool ippool\n", "  pool ippool\n" + backups)
                .replace("crypto isakmp policy 10\n", "crypto isakmp keepalive 10 3\ncrypto isakmp policy 10\n");
    }

    static ConfigPolicy policy(String text) {
        return new ConfigPolicy(ConfigLoader.load(text).config());
    }

    static final int SPOKE = Ipv4.parse("203.0.113.20");
    static final int SPOKE_HOST = Ipv4.parse("10.2.2.10");

    /** The seed spoke with a fixed outside address, DPD, and {@code set peer} for each of {@code peers} in order. */
    static String spokeConfig(List<Integer> peers) throws IOException {
        StringBuilder keys = new StringBuilder();
        StringBuilder setPeers = new StringBuilder();
        for (int peer : peers) {
            keys.append("crypto isakmp key cisco123 address ").append(Ipv4.format(peer)).append('\n');
            setPeers.append("  set peer ").append(Ipv4.format(peer)).append('\n');
        }
        return Files.readString(Path.of("examples/seed/spoke.cfg"))
                .replace("crypto isakmp key cisco123 address 10.48.67.181\n",
                        "crypto isakmp keepalive 10 3\n" + keys)
                .replace("  set peer 10.48.67.181\n", setPeers.toString())
                .replace("  ip address dhcp\n", "  ip address " + Ipv4.format(SPOKE) + " 255.255.255.0\n");
    }

    record Spoke(SimLanRouter router, SimHost host, List<String> debug) {
        boolean upThrough(int hub) {
            return !router.children().isEmpty() && router.children().stream().allMatch(c -> c.peerAddress() == hub);
        }
    }

    static Spoke spoke(Lab lab, List<Integer> peers) throws IOException {
        SimLanRouter router = new SimLanRouter("spoke", lab.net, SPOKE, policy(spokeConfig(peers)), 21,
                Ipv4.parse("10.2.2.2"), Ipv4.parse("255.255.255.0"));
        List<String> debug = new ArrayList<>();
        router.engine().setDebug(true);
        router.onDebug(debug::add);
        return new Spoke(router, router.addHost(SPOKE_HOST), debug);
    }

    static boolean spokePingAnswered(Lab lab, Spoke spoke) {
        long before = spoke.host.echoRepliesReceived();
        spoke.host.ping(HUB_HOST);
        return lab.clock.runUntil(() -> spoke.host.echoRepliesReceived() > before, lab.clock.now() + 3_000);
    }

    /** Pings from the spoke's LAN once a second until one is answered through {@code hub} or the deadline passes. */
    static boolean spokeBackThrough(Lab lab, Spoke spoke, int hub, long deadline) {
        while (lab.clock.now() < deadline) {
            if (spokePingAnswered(lab, spoke) && spoke.upThrough(hub)) {
                return true;
            }
            lab.clock.runUntil(lab.clock.now() + 1_000);
        }
        return false;
    }

    record Lab(SimScheduler clock, SimNetwork net, SimLanRouter hub1, SimLanRouter hub2, SimVpnClient client,
            List<String> clientDebug) {
    }

    static Lab lab(List<Integer> backupGateways, List<Integer> profileBackups) throws IOException {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 7, FaultModel.PERFECT);
        SimLanRouter hub1 = new SimLanRouter("hub1", net, HUB1, policy(hubConfig(HUB1, backupGateways)), 11,
                Ipv4.parse("10.1.1.1"), Ipv4.parse("255.255.254.0"));
        SimLanRouter hub2 = new SimLanRouter("hub2", net, HUB2, policy(hubConfig(HUB2, backupGateways)), 12,
                Ipv4.parse("10.1.1.1"), Ipv4.parse("255.255.254.0"));
        hub1.addHost(HUB_HOST);
        hub2.addHost(HUB_HOST);
        VpnClientProfile profile = VpnClientProfile.of(HUB1, "testgroup",
                "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage")
                .withBackupServers(profileBackups);
        SimVpnClient client = new SimVpnClient("client", net, CLIENT, profile, 13);
        List<String> debug = new ArrayList<>();
        client.engine().setDebug(true);
        client.onDebug(debug::add);
        return new Lab(clock, net, hub1, hub2, client, debug);
    }

    /** The client's tunnel is up with {@code hub} and a ping to the hub's LAN is answered. */
    static boolean upThrough(Lab lab, SimLanRouter hub) {
        List<ChildSa> children = lab.client.children();
        return !children.isEmpty() && children.getLast().peerAddress() == hub.address()
                && lab.client.adapter() != null;
    }

    static boolean pingAnswered(Lab lab) {
        SimHost pc = lab.client.adapter();
        long before = pc.echoRepliesReceived();
        pc.ping(HUB_HOST);
        long deadline = lab.clock.now() + 2_000;
        return lab.clock.runUntil(() -> pc.echoRepliesReceived() > before, deadline);
    }

    @Test
    void aClientWhoseHubDiesLogsInToTheBackupGatewayTheHubSent() throws IOException {
        Lab lab = lab(List.of(HUB1, HUB2), List.of());
        lab.client.connect();
        assertThat(lab.clock.runUntil(() -> upThrough(lab, lab.hub1), 20_000)).isTrue();
        assertThat(lab.client.config().backupServers()).containsExactly("198.51.100.1", "198.51.100.2");
        assertThat(pingAnswered(lab)).isTrue();
        int address = lab.client.config().address();

        long killedAt = lab.clock.now();
        lab.net.cutOff(HUB1); // hub 1 stops dead
        // The client's DPD (keepalive 20 5: silent 18-20 s, then five probes 5 s apart) declares hub 1 dead.
        boolean up = lab.clock.runUntil(() -> upThrough(lab, lab.hub2), killedAt + 60_000);
        assertThat(up).isTrue();
        long back = lab.clock.now() - killedAt;
        assertThat(back).isLessThanOrEqualTo(45_000 + 10_000);
        assertThat(lab.clientDebug).anyMatch(l -> l.contains("gateway 198.51.100.1 unreachable, logging in to backup"
                + " gateway 198.51.100.2"));
        assertThat(lab.client.connects()).isEqualTo(1); // the engine moved on by itself
        assertThat(pingAnswered(lab)).isTrue();
        // Hub 2's pool is its own: the first client gets the first address there too.
        assertThat(lab.client.config().address()).isEqualTo(address);
        assertThat(lab.hub2.engine().ikeSas()).hasSize(1);
        // Only what hub 2 holds is in the client's data plane: the SAs with hub 1 went with it.
        assertThat(lab.client.children()).allMatch(c -> c.peerAddress() == HUB2);
    }

    @Test
    void aFirstContactThatGoesUnansweredMovesToTheProfilesBackupServer() throws IOException {
        Lab lab = lab(List.of(), List.of(HUB3, HUB2)); // the hubs send no list; the .pcf names two
        lab.net.cutOff(HUB1);
        lab.client.connect();
        // Hub 1 never answers; with backups to try, its first message is given up at 14 s (sent at 0, 2 and 6 s);
        // hub 3 does not exist either (14 s more); hub 2 answers: up in under 30 s, inside vpnrouter client's wait.
        assertThat(lab.clock.runUntil(() -> upThrough(lab, lab.hub2), 30_000)).isTrue();
        assertThat(lab.clock.now()).isGreaterThanOrEqualTo(28_000);
        assertThat(lab.clientDebug).anyMatch(l -> l.contains("logging in to backup gateway 198.51.100.3"));
        assertThat(lab.clientDebug).anyMatch(l -> l.contains("logging in to backup gateway 198.51.100.2"));
        assertThat(pingAnswered(lab)).isTrue();
    }

    @Test
    void wrapsRoundToTheFirstHubAndStopsAfterTryingEachOnce() throws IOException {
        Lab lab = lab(List.of(HUB1, HUB2), List.of());
        lab.client.connect();
        assertThat(lab.clock.runUntil(() -> upThrough(lab, lab.hub1), 20_000)).isTrue();
        lab.net.cutOff(HUB1);
        assertThat(lab.clock.runUntil(() -> upThrough(lab, lab.hub2), lab.clock.now() + 60_000)).isTrue();

        // Hub 1 is back, hub 2 dies: the client wraps round to hub 1.
        lab.net.revive(HUB1);
        lab.hub1.run(e -> e.clearSession(0, lab.clock.now())); // it forgot the client while it was away
        lab.net.cutOff(HUB2);
        assertThat(lab.clock.runUntil(() -> upThrough(lab, lab.hub1), lab.clock.now() + 60_000)).isTrue();
        assertThat(pingAnswered(lab)).isTrue();

        // Both gone: hub 2 is tried, then the client stops (each gateway once since it was last configured).
        lab.net.cutOff(HUB1);
        List<IkeEffect.IkeDown> downs = new ArrayList<>();
        lab.client.onEffect(e -> {
            if (e instanceof IkeEffect.IkeDown d) {
                downs.add(d);
            }
        });
        lab.clock.runUntil(lab.clock.now() + 300_000);
        assertThat(lab.client.engine().ikeSaCount()).isZero();
        assertThat(downs).hasSize(2); // hub 1 by DPD, hub 2 unanswered; nothing after
        assertThat(lab.clientDebug).anyMatch(l -> l.contains("no other gateway to try"));
    }

    @Test
    void aHostileHubsListIsKeptToTenUnicastAddresses() throws IOException {
        List<String> list = new ArrayList<>(List.of("evil.example.net", "0.0.0.0", "127.0.0.1", "224.0.0.5",
                "255.255.255.255", "10.1.1.1\u001b[2J"));
        for (int i = 1; i <= 10; i++) {
            list.add("192.0.2." + i); // nobody there
        }
        list.add(Ipv4.format(HUB2)); // the eleventh address: never kept
        Lab lab = lab(List.of(), List.of());
        SimScheduler clock = lab.clock;
        SimLanRouter hostile = new SimLanRouter("hostile", lab.net, HUB3, policy(hubConfigNaming(HUB3, list)), 15,
                Ipv4.parse("10.1.1.1"), Ipv4.parse("255.255.254.0"));
        SimVpnClient client = new SimVpnClient("pc", lab.net, Ipv4.parse("203.0.113.60"), VpnClientProfile.of(HUB3,
                "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage"), 16);
        List<String> debug = new ArrayList<>();
        client.engine().setDebug(true);
        client.onDebug(debug::add);
        client.connect();
        assertThat(clock.runUntil(() -> !client.children().isEmpty(), 20_000)).isTrue();
        assertThat(debug.stream().filter(l -> l.contains("is not a unicast address: skipped"))).hasSize(6);
        assertThat(debug).anyMatch(l -> l.contains("lists 17 backup servers: the first 10 kept"));
        assertThat(debug).noneMatch(l -> l.contains("\u001b"));

        lab.net.cutOff(HUB3);
        clock.runUntil(clock.now() + 400_000); // DPD, then ten backups at 14 s each, then hub 3 again
        assertThat(client.engine().ikeSaCount()).isZero();
        assertThat(debug.stream().filter(l -> l.contains("logging in to backup gateway 192.0.2."))).hasSize(10);
        assertThat(lab.hub2.engine().counters().phase1Started).isZero();
        assertThat(hostile.engine().ikeSaCount()).isZero();
    }

    @Test
    void aRefusedLoginIsNoReasonToMove() throws IOException {
        Lab lab = lab(List.of(HUB1, HUB2), List.of(HUB2));
        SimVpnClient wrong = new SimVpnClient("wrong", lab.net, Ipv4.parse("203.0.113.51"),
                VpnClientProfile.of(HUB1, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage",
                        "not-the-password").withBackupServers(List.of(HUB2)), 14);
        wrong.connect();
        lab.clock.runUntil(120_000);
        assertThat(wrong.engine().ikeSaCount()).isZero();
        assertThat(lab.hub2.engine().counters().phase1Started).isZero();
    }

    @Test
    void aSpokeWhosePeerDiesMovesToItsNextSetPeerAndStaysThere() throws IOException {
        Lab lab = lab(List.of(), List.of());
        Spoke spoke = spoke(lab, List.of(HUB1, HUB2));
        ChildPolicyView entry = new ChildPolicyView(spoke.router);
        assertThat(entry.currentPeer()).isEqualTo(HUB1);
        assertThat(spokeBackThrough(lab, spoke, HUB1, 10_000)).isTrue();
        String config = spokeConfig(List.of(HUB1, HUB2));
        assertThat(showCryptoMap(spoke, lab, config)).contains("Peer = 198.51.100.1\n\tPeer = 198.51.100.2\n",
                "Current peer: 198.51.100.1\n");

        long killedAt = lab.clock.now();
        lab.net.cutOff(HUB1);
        // DPD (keepalive 10 3: quiet 9-10 s, five probes 3 s apart) finds hub 1 dead; the entry comes up with hub 2
        // at once, without waiting for traffic.
        assertThat(lab.clock.runUntil(() -> spoke.upThrough(HUB2), killedAt + 40_000)).isTrue();
        assertThat(lab.clock.now() - killedAt).isLessThanOrEqualTo(25_000 + 10_000);
        assertThat(entry.currentPeer()).isEqualTo(HUB2);
        assertThat(spoke.debug).anyMatch(l -> l.contains("crypto map mymap 10: peer 198.51.100.1 unreachable,"
                + " current peer now 198.51.100.2"));
        assertThat(spokePingAnswered(lab, spoke)).isTrue();
        // The data plane holds only hub 2's SAs: hub 1's went when DPD declared it dead.
        assertThat(spoke.router.dataPlane().flows()).isNotEmpty().allMatch(f -> f.peerAddress() == HUB2);

        // Hub 1 comes back: the spoke stays on hub 2 (IOS without "set peer ... default").
        lab.net.revive(HUB1);
        lab.clock.runUntil(lab.clock.now() + 60_000);
        assertThat(spoke.upThrough(HUB2)).isTrue();
        assertThat(entry.currentPeer()).isEqualTo(HUB2);
        assertThat(showCryptoMap(spoke, lab, config)).contains("Current peer: 198.51.100.2\n");

        // With no SA at all, show crypto map still names the peer the entry will use: the engine's decision.
        spoke.router.run(e -> e.clearSession(0, lab.clock.now()));
        assertThat(spoke.router.children()).isEmpty();
        assertThat(showCryptoMap(spoke, lab, config)).contains("Current peer: 198.51.100.2\n");
        assertThat(spokeBackThrough(lab, spoke, HUB2, lab.clock.now() + 10_000)).isTrue();

        // Hub 2 dies: round to hub 1.
        lab.net.cutOff(HUB2);
        assertThat(lab.clock.runUntil(() -> spoke.upThrough(HUB1), lab.clock.now() + 40_000)).isTrue();
        assertThat(spokePingAnswered(lab, spoke)).isTrue();
    }

    @Test
    void aSpokeWhoseFirstPeerNeverAnswersBringsTheEntryUpWithTheSecond() throws IOException {
        Lab lab = lab(List.of(), List.of());
        lab.net.cutOff(HUB1);
        Spoke spoke = spoke(lab, List.of(HUB1, HUB2));
        spoke.host.ping(HUB_HOST); // traffic starts Main Mode with hub 1; it never answers
        assertThat(lab.clock.runUntil(() -> spoke.upThrough(HUB2), 90_000)).isTrue();
        assertThat(spokePingAnswered(lab, spoke)).isTrue();
        assertThat(lab.hub1.engine().counters().phase1Started).isZero();
    }

    @Test
    void aSpokeWithOnePeerStaysWithIt() throws IOException {
        Lab lab = lab(List.of(), List.of());
        Spoke spoke = spoke(lab, List.of(HUB1));
        assertThat(spokeBackThrough(lab, spoke, HUB1, 10_000)).isTrue();
        lab.net.cutOff(HUB1);
        lab.clock.runUntil(lab.clock.now() + 120_000);
        assertThat(spoke.router.engine().ikeSaCount()).isZero(); // nothing tried by itself, as before
        assertThat(lab.hub2.engine().counters().phase1Started).isZero();
    }

    /** {@code show crypto map} on the spoke, through the exec CLI over the engine. */
    static String showCryptoMap(Spoke spoke, Lab lab, String config) {
        dev.vpnrouter.cli.EngineRouter view = new dev.vpnrouter.cli.EngineRouter(ConfigLoader.load(config).config(),
                spoke.router.engine(), spoke.router.dataPlane(), spoke.router::run, 0);
        return new dev.vpnrouter.cli.ExecHub(view, view).openConsole("con 0", lab.clock.now())
                .execute("show crypto map", lab.clock.now());
    }

    /** The spoke's one static entry, and the peer its engine uses for it now. */
    record ChildPolicyView(SimLanRouter router) {
        int currentPeer() {
            return router.engine().currentPeer(router.engine().policy().cryptoMap().stream()
                    .filter(e -> !e.dynamic()).findFirst().orElseThrow());
        }
    }
}
