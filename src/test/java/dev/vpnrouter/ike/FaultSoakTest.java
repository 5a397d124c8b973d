package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimHost;
import dev.vpnrouter.sim.SimLanRouter;
import dev.vpnrouter.sim.SimNat;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault soak in the in-process lab: the seed's hub with a spoke (hosts on both LANs pinging across the tunnel) and
 * VPN clients, one of them behind a NAT, under loss, duplication and reordering, NAT rebinding, a hub restart and
 * clock jumps. For each, every tunnel converges within the bound documented in docs/robustness.md, traffic passes
 * again, the address pool holds exactly one address per connected client, and it is full again when they leave.
 *
 * <p>Clients reconnect when they find themselves without an SA (what the Cisco client's auto-reconnect and a vpnc
 * supervisor do); spokes come back through their own traffic (acquire), as IOS does.
 */
class FaultSoakTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");
    static final int SPOKE_HOST = Ipv4.parse("10.2.2.10");
    static final int CLIENT = Ipv4.parse("198.51.100.200");
    static final int NAT_PUBLIC = Ipv4.parse("192.0.2.2");
    static final int CLIENT_INSIDE = Ipv4.parse("192.168.1.10");
    static final String ACL_100 = "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0";
    /** DPD on both sides, as {@code crypto isakmp keepalive 10} would set it. */
    static final int DPD_SECONDS = 10;

    /** Convergence bounds (docs/robustness.md): from the fault's end to every tunnel up and pinging again. */
    static final long CONVERGE_START_MILLIS = 5_000;
    static final long CONVERGE_LOSSY_MILLIS = 90_000;
    static final long CONVERGE_REBIND_MILLIS = 30_000;
    static final long CONVERGE_HUB_RESTART_MILLIS = 120_000;
    static final long CONVERGE_CLOCK_JUMP_MILLIS = 120_000;

    static final class World {
        final SimScheduler clock = new SimScheduler(0);
        final SimNetwork net;
        final long seed;
        SimLanRouter hub;
        final SimLanRouter spoke;
        final SimHost spokeHost;
        SimHost hubHost;
        final SimNat nat;
        final List<LabRouter> clients = new ArrayList<>();
        final List<String> hubLog = new ArrayList<>();
        int hubBoots;

        World(long seed, FaultModel faults) {
            this.seed = seed;
            net = new SimNetwork(clock, seed, faults);
            bootHub();
            TestPolicy spokePolicy = TestPolicy.seedSpoke(HUB, ACL_100);
            spokePolicy.dpd = DPD_SECONDS;
            spoke = new SimLanRouter("spoke", net, SPOKE, spokePolicy, seed + 2, Ipv4.parse("10.2.2.2"),
                    Ipv4.parse("255.255.255.0"));
            spokeHost = spoke.addHost(SPOKE_HOST);
            nat = new SimNat(net, NAT_PUBLIC);
            TestPolicy clientPolicy = TestPolicy.client();
            clientPolicy.dpd = DPD_SECONDS; // the Cisco client and vpnc run DPD towards the hub
            clients.add(new LabRouter("client", net, CLIENT, clientPolicy, seed + 3));
            LabRouter natted = new LabRouter("natted", net, CLIENT_INSIDE, clientPolicy, seed + 4);
            nat.attachInside(CLIENT_INSIDE, natted);
            clients.add(natted);
            // Traffic across the spoke's tunnel, every second, both ways: it brings the tunnel up (acquire).
            spokeHost.pingEvery(HUB_HOST, 1_000, 100_000, 56);
            for (LabRouter c : clients) {
                c.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), clock.now()));
            }
            watchClients();
        }

        /** A hub with no state at all: a first boot, or a restart that lost every SA. */
        void bootHub() {
            if (hub != null) {
                net.detach(HUB);
            }
            TestPolicy hubPolicy = TestPolicy.seedHub();
            hubPolicy.dpd = DPD_SECONDS;
            hub = new SimLanRouter("hub", net, HUB, hubPolicy, seed + 1 + 1_000_003L * hubBoots++,
                    Ipv4.parse("10.1.1.1"), Ipv4.parse("255.255.254.0"));
            hub.engine().setDebug(true);
            hub.onDebug(hubLog::add);
            hubHost = hub.addHost(HUB_HOST);
        }

        /** Clients that lost their SA connect again, checked every 5 s. */
        private void watchClients() {
            clock.after(5_000, () -> {
                for (LabRouter c : clients) {
                    if (c.engine().ikeSaCount() == 0 && connected) {
                        c.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), clock.now()));
                    }
                }
                watchClients();
            });
        }

        boolean connected = true;

        boolean allUp() {
            if (spoke.children().isEmpty() || hub.children().stream().noneMatch(c -> c.peerAddress() == SPOKE)) {
                return false;
            }
            for (LabRouter c : clients) {
                if (c.children().isEmpty() || c.engine().establishedCount() == 0) {
                    return false;
                }
            }
            // Each client's tunnel ends at the hub on an SA the hub still holds.
            return hub.engine().childSas().size() == 1 + clients.size()
                    && pool().inUse() == clients.size();
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("spoke children ").append(spoke.children().size()).append(" sas ")
                    .append(spoke.engine().ikeSaCount()).append(" replies ").append(spokeHost.echoRepliesReceived())
                    .append("; hub children ").append(hub.engine().childSas().size()).append(" sas ")
                    .append(hub.engine().ikeSaCount()).append(" pool ").append(pool().inUse());
            for (LabRouter c : clients) {
                sb.append("; ").append(c.name()).append(" children ").append(c.children().size()).append(" sas ")
                        .append(c.engine().ikeSaCount()).append(" est ").append(c.engine().establishedCount())
                        .append(" last ").append(c.engine().counters().lastFailure);
            }
            sb.append("; hub last ").append(hub.engine().counters().lastFailure);
            return sb.toString();
        }

        AddressPool pool() {
            return hub.engine().addressPool("ippool");
        }

        /** Runs until every tunnel is up and a ping crosses the spoke's tunnel; returns how long it took. */
        long converge(long boundMillis) {
            long start = clock.now();
            long replies = spokeHost.echoRepliesReceived();
            boolean done = clock.runUntil(() -> allUp() && spokeHost.echoRepliesReceived() > replies,
                    start + boundMillis);
            assertThat(done).as("converged within %d ms (seed %d): %s", boundMillis, seed, describe()).isTrue();
            return clock.now() - start;
        }

        void runFor(long millis) {
            clock.runUntil(clock.now() + millis);
        }

        /** Clients leave: the pool is full again, and only the spoke's SA remains on the hub. */
        void clientsLeaveAndPoolIsFull() {
            connected = false;
            for (LabRouter c : clients) {
                c.run(e -> e.shutdown(clock.now()));
            }
            runFor(20_000);
            assertThat(pool().inUse()).as("pool full again (seed %d)", seed).isZero();
            assertThat(hub.engine().childSas()).allMatch(c -> c.peerAddress() == SPOKE);
        }

        void assertNoBugs() {
            assertThat(hub.engine().counters().internalErrors).isZero();
            assertThat(spoke.engine().counters().internalErrors).isZero();
            for (LabRouter c : clients) {
                assertThat(c.engine().counters().internalErrors).isZero();
            }
        }
    }

    @Test
    void lossDuplicationAndReordering() {
        List<Long> times = new ArrayList<>();
        for (long seed = 1; seed <= 6; seed++) {
            World w = new World(500 + seed, new FaultModel(0.15, 0.10, 0.10, 30));
            times.add(w.converge(CONVERGE_LOSSY_MILLIS));
            w.runFor(120_000); // keep going under the faults: rekeys, DPD and retransmissions must not tear it down
            assertThat(w.pool().inUse()).isEqualTo(w.clients.size());
            w.net.setFaults(FaultModel.PERFECT);
            w.converge(CONVERGE_LOSSY_MILLIS);
            w.clientsLeaveAndPoolIsFull();
            w.assertNoBugs();
        }
        System.out.println("soak: converged under 15% loss / 10% dup / 10% reorder in " + times + " ms");
    }

    @Test
    void natRebinding() {
        World w = new World(601, FaultModel.PERFECT);
        w.converge(CONVERGE_START_MILLIS * 4);
        int firstNatPort = w.hub.engine().ikeSas().stream().filter(sa -> sa.peerAddress() == NAT_PUBLIC)
                .findFirst().orElseThrow().peerPort();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            w.nat.rebind(); // the NAT forgets its mappings: the client's next packets come from a new port
            w.runFor(1_000);
            times.add(w.converge(CONVERGE_REBIND_MILLIS));
            w.runFor(29_000);
            assertThat(w.pool().inUse()).isEqualTo(w.clients.size());
        }
        // The hub followed the client to its new port instead of stacking SAs: no client had to log in again.
        assertThat(w.hub.engine().ikeSaCount()).isLessThanOrEqualTo(1 + w.clients.size());
        assertThat(w.clients).allSatisfy(c -> assertThat(c.configured).hasSize(1));
        IkeSaView natted = w.hub.engine().ikeSas().stream().filter(sa -> sa.peerAddress() == NAT_PUBLIC)
                .findFirst().orElseThrow();
        assertThat(natted.peerPort()).isNotEqualTo(firstNatPort);
        w.clientsLeaveAndPoolIsFull();
        w.assertNoBugs();
        System.out.println("soak: after NAT rebinding converged in " + times + " ms");
    }

    @Test
    void hubRestartLosesEverySaAndEveryoneComesBack() {
        World w = new World(701, FaultModel.PERFECT);
        w.converge(CONVERGE_START_MILLIS * 4);
        List<Long> times = new ArrayList<>();
        for (int restart = 0; restart < 3; restart++) {
            w.bootHub(); // all SAs, the pool and the data plane gone on the hub side
            assertThat(w.hub.engine().ikeSaCount()).isZero();
            times.add(w.converge(CONVERGE_HUB_RESTART_MILLIS));
            assertThat(w.pool().inUse()).isEqualTo(w.clients.size());
            w.runFor(60_000);
            assertThat(w.allUp()).isTrue();
        }
        // The spokes and clients noticed through DPD (and the unknown-SPI ESP), and came back with INITIAL-CONTACT.
        assertThat(w.hubLog).anyMatch(l -> l.contains("processing NOTIFY INITIAL_CONTACT")
                || l.contains("Process initial contact"));
        w.clientsLeaveAndPoolIsFull();
        w.assertNoBugs();
        System.out.println("soak: after a hub restart converged in " + times + " ms");
    }

    @Test
    void clockJumps() {
        World w = new World(801, FaultModel.PERFECT);
        w.converge(CONVERGE_START_MILLIS * 4);
        List<Long> times = new ArrayList<>();
        // The hub's clock jumps forward (suspend, NTP step): every lifetime and DPD timer looks expired at once.
        // Then it is back on the shared clock, which to the hub is a jump backwards.
        for (long jump : new long[] {3 * 3_600_000L, 25 * 3_600_000L, 60_000L}) {
            long now = w.clock.now();
            w.hub.run(e -> e.tick(now + jump));
            w.runFor(1_000);
            times.add(w.converge(CONVERGE_CLOCK_JUMP_MILLIS));
            assertThat(w.pool().inUse()).isEqualTo(w.clients.size());
        }
        w.clientsLeaveAndPoolIsFull();
        w.assertNoBugs();
        System.out.println("soak: after hub clock jumps converged in " + times + " ms");
    }
}
