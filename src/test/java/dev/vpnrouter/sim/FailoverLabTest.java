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
 * {@code backup-gateway}), hub 1 cut off the network while a VPN client is connected to it. The client's DPD finds
 * hub 1 dead and it logs in to hub 2 with the same credentials; traffic passes again.
 */
class FailoverLabTest {
    static final int HUB1 = Ipv4.parse("198.51.100.1");
    static final int HUB2 = Ipv4.parse("198.51.100.2");
    static final int HUB3 = Ipv4.parse("198.51.100.3");
    static final int CLIENT = Ipv4.parse("203.0.113.50");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");

    /** The seed hub with its outside address, {@code backup-gateway}s and DPD. */
    static String hubConfig(int outside, List<Integer> backupGateways) throws IOException {
        String text = Files.readString(Path.of("examples/seed/hub.cfg"))
                .replace("10.48.67.181 255.255.255.224", Ipv4.format(outside) + " 255.255.255.0")
                .replace("ip route 0.0.0.0 0.0.0.0 10.48.66.181", "ip route 0.0.0.0 0.0.0.0 "
                        + Ipv4.format(outside + 254));
        StringBuilder backups = new StringBuilder();
        for (int gw : backupGateways) {
            backups.append("  backup-gateway ").append(Ipv4.format(gw)).append('\n');
        }
        return text.replace("  pool ippool\n", "  pool ippool\n" + backups)
                .replace("crypto isakmp policy 10\n", "crypto isakmp keepalive 10 3\ncrypto isakmp policy 10\n");
    }

    static ConfigPolicy policy(String text) {
        return new ConfigPolicy(ConfigLoader.load(text).config());
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
        // Hub 1 never answers (phase 1 given up after about 62 s); hub 3 does not exist either; hub 2 answers.
        assertThat(lab.clock.runUntil(() -> upThrough(lab, lab.hub2), 200_000)).isTrue();
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
}
