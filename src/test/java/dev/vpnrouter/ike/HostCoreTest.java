package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host core both the lab and {@code vpnrouter run} drive their engine through: port 4500 sorted by the RFC 3948
 * marker, a renumbered spoke sending its Deletes from the old address and reconnecting after the delay, and an
 * acquire that logs a VPN client in again instead of starting Main Mode.
 */
class HostCoreTest {
    private static final int HUB = Ipv4.parse("203.0.113.2");
    private static final int SPOKE = Ipv4.parse("198.51.100.146");
    private static final int MOVED = Ipv4.parse("198.51.100.147");

    /** A shell that queues what it sends and records the rest. */
    private static final class Wire implements HostCore.Shell {
        final ArrayDeque<Datagram> out = new ArrayDeque<>();
        final List<byte[]> wires = new ArrayList<>();
        final List<byte[]> esp = new ArrayList<>();
        final List<ChildSa> installed = new ArrayList<>();
        final List<IkeEffect.Authenticate> asked = new ArrayList<>();
        final List<IkeEffect.AuthorizeGroup> groupsAsked = new ArrayList<>();
        final List<ClientConfig> configured = new ArrayList<>();
        final List<IkeEffect.Account> accounts = new ArrayList<>();
        final List<IkeEffect> observed = new ArrayList<>();

        @Override
        public void account(IkeEffect.Account record) {
            accounts.add(record);
        }

        @Override
        public void observe(IkeEffect effect) {
            observed.add(effect);
        }

        @Override
        public void authenticate(IkeEffect.Authenticate request) {
            asked.add(request);
        }

        @Override
        public void authorizeGroup(IkeEffect.AuthorizeGroup request) {
            groupsAsked.add(request);
        }

        @Override
        public void clientConfigured(IkeEffect.ClientConfigured c) {
            configured.add(c.config());
        }

        @Override
        public void send(Datagram datagram, byte[] wire) {
            out.add(datagram);
            wires.add(wire);
        }

        @Override
        public void espInUdp(byte[] buffer, int off, int len, int fromAddress, int fromPort) {
            esp.add(java.util.Arrays.copyOfRange(buffer, off, off + len));
        }

        @Override
        public void installed(ChildSa child) {
            installed.add(child);
        }
    }

    /** Delivers what each side sent to the other until both are quiet, as the wire would. */
    private static void exchange(HostCore a, Wire wa, HostCore b, Wire wb, long now) {
        for (int i = 0; i < 100 && !(wa.out.isEmpty() && wb.out.isEmpty()); i++) {
            deliver(wa, b, now);
            deliver(wb, a, now);
        }
    }

    private static void deliver(Wire from, HostCore to, long now) {
        while (!from.out.isEmpty()) {
            Datagram d = from.out.poll();
            byte[] wire = HostCore.wire(d);
            if (d.dst() == to.engine().localAddress()) {
                to.receiveUdp(wire, 0, wire.length, d.src(), d.srcPort(), d.dst(), d.dstPort(), now);
            }
        }
    }

    @Test
    void port4500IsSortedByTheMarker() {
        Wire w = new Wire();
        HostCore core = new HostCore(new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(1)), w);
        byte[] keepalive = {(byte) 0xff};
        core.receiveUdp(keepalive, 0, 1, SPOKE, 4500, HUB, 4500, 0);
        byte[] esp = {0, 0, 0x10, 0x01, 0, 0, 0, 1, 9, 9};
        core.receiveUdp(esp, 0, esp.length, SPOKE, 4500, HUB, 4500, 0);
        byte[] markedJunk = {0, 0, 0, 0, 1, 2, 3};
        core.receiveUdp(markedJunk, 0, markedJunk.length, SPOKE, 4500, HUB, 4500, 0);
        assertThat(w.esp).singleElement().isEqualTo(esp);
        assertThat(core.engine().counters().malformed).isEqualTo(1); // the marked datagram went to IKE
        assertThat(w.out).isEmpty();
    }

    @Test
    void aRenumberedSpokeSendsItsDeletesFromTheOldAddressThenReconnects() {
        Wire wh = new Wire();
        Wire ws = new Wire();
        HostCore hub = new HostCore(new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(1)), wh);
        HostCore spoke = new HostCore(new IkeEngine(TestPolicy.seedSpoke(HUB,
                "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE, SimRouter.seededRandom(2)), ws);
        spoke.run(e -> e.connectAll(0));
        exchange(spoke, ws, hub, wh, 0);
        assertThat(hub.engine().childSas()).hasSize(1);

        HostCore.Move move = spoke.move(MOVED, 1_000);
        assertThat(move).isEqualTo(new HostCore.Move(SPOKE, MOVED, 1, true));
        assertThat(ws.out).isNotEmpty().allSatisfy(d -> assertThat(d.src()).isEqualTo(SPOKE));
        exchange(spoke, ws, hub, wh, 1_000);
        assertThat(hub.engine().ikeSaCount()).as("the hub took the Deletes").isZero();

        assertThat(spoke.nextTimerMillis()).isLessThanOrEqualTo(1_000 + HostCore.RECONNECT_DELAY_MILLIS);
        spoke.tick(1_000 + HostCore.RECONNECT_DELAY_MILLIS);
        assertThat(ws.out).isNotEmpty().allSatisfy(d -> assertThat(d.src()).isEqualTo(MOVED));
        exchange(spoke, ws, hub, wh, 3_000);
        assertThat(hub.engine().childSas()).singleElement().satisfies(c ->
                assertThat(c.peerAddress()).isEqualTo(MOVED));
    }

    @Test
    void anAcquireLogsAVpnClientInAgainWithAggressiveMode() {
        Wire wh = new Wire();
        Wire wc = new Wire();
        HostCore hub = new HostCore(new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(1)), wh);
        int clientAddress = Ipv4.parse("198.51.100.200");
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), clientAddress, SimRouter.seededRandom(3)),
                wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        assertThat(wc.installed).isNotEmpty();
        ChildSa tunnel = wc.installed.getFirst();
        client.run(e -> e.shutdown(1_000));
        exchange(client, wc, hub, wh, 1_000);
        assertThat(client.engine().ikeSaCount()).isZero();

        client.acquire(tunnel.policy(), new ChildPolicy.SelectorPair(tunnel.local(), tunnel.remote()), 2_000);
        // Aggressive Mode with the group's ID (exchange type 4), never Main Mode (2), which has no key to use.
        assertThat(wc.out).singleElement().satisfies(d -> assertThat(d.data()[18]).isEqualTo((byte) 4));
        exchange(client, wc, hub, wh, 2_000);
        assertThat(hub.engine().childSas()).isNotEmpty();
    }

    /** A stopping router's last tasks (an acquire among them) start no negotiation the loop will never answer. */
    @Test
    void aStoppedEngineStartsNoNegotiationOnAnAcquire() {
        Wire wh = new Wire();
        Wire wc = new Wire();
        HostCore hub = new HostCore(new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(1)), wh);
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        ChildSa tunnel = wc.installed.getFirst();
        client.run(e -> e.stop(1_000));
        exchange(client, wc, hub, wh, 1_000);
        wc.out.clear();
        client.acquire(tunnel.policy(), new ChildPolicy.SelectorPair(tunnel.local(), tunnel.remote()), 2_000);
        assertThat(wc.out).isEmpty();
        assertThat(client.engine().ikeSaCount()).isZero();
    }

    /**
     * Issue 15: a login list that asks servers (group radius local) makes Xauth wait for the host's verdict, which
     * the host gives off its loop; a rejection asks again, a stale answer changes nothing, and a pass lets the
     * client in.
     */
    @Test
    void xauthWaitsForTheServersVerdict() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.loginLists.put("clientauth", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius"),
                dev.vpnrouter.config.model.AaaMethod.of(dev.vpnrouter.config.model.AaaMethod.Kind.LOCAL)));
        Wire wh = new Wire();
        Wire wc = new Wire();
        HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        assertThat(wh.asked).singleElement().satisfies(a -> {
            assertThat(a.user()).isEqualTo("gfullage");
            assertThat(a.list()).isEqualTo("clientauth");
            assertThat(a.toString()).doesNotContain(a.password());
        });
        assertThat(hubPolicy.authentications).as("nothing checked on the loop").isZero();
        assertThat(hub.engine().childSas()).isEmpty();

        IkeEffect.Authenticate first = wh.asked.getFirst();
        hub.authenticated(first, false, 100);
        exchange(client, wc, hub, wh, 100);
        assertThat(wh.asked).as("rejected: the client is asked again and answers").hasSize(2);
        hub.authenticated(first, true, 200);
        exchange(client, wc, hub, wh, 200);
        assertThat(hub.engine().childSas()).as("a stale ticket lets no one in").isEmpty();

        hub.authenticated(wh.asked.get(1), true, 300);
        exchange(client, wc, hub, wh, 300);
        assertThat(hub.engine().childSas()).isNotEmpty();
        assertThat(wc.installed).isNotEmpty();
    }

    /** A hub with {@code group radius local} and the seed's pool ippool 10.5.5.1-254, and a client logging in. */
    private record RadiusLogin(TestPolicy policy, HostCore hub, Wire wh, HostCore client, Wire wc) {
        static RadiusLogin start(int clientAddress, long now) {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            hubPolicy.loginLists.put("clientauth", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius"),
                    dev.vpnrouter.config.model.AaaMethod.of(dev.vpnrouter.config.model.AaaMethod.Kind.LOCAL)));
            Wire wh = new Wire();
            Wire wc = new Wire();
            HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
            RadiusLogin l = new RadiusLogin(hubPolicy, hub, wh, null, null);
            return l.another(clientAddress, now);
        }

        RadiusLogin another(int clientAddress, long now) {
            Wire wc = new Wire();
            HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), clientAddress,
                    SimRouter.seededRandom(clientAddress)), wc);
            client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), now));
            exchange(client, wc, hub, wh, now);
            return new RadiusLogin(policy, hub, wh, client, wc);
        }

        /** The server's Accept, with {@code granted}, for the latest login. */
        void accept(dev.vpnrouter.policy.UserAuthorization granted, long now) {
            hub.authenticated(wh.asked.getLast(), true, granted, now);
            exchange(client, wc, hub, wh, now);
        }

        IkeSaView hubSaOf(int clientAddress) {
            return hub.engine().ikeSas().stream().filter(sa -> sa.peerAddress() == clientAddress)
                    .findFirst().orElse(null);
        }
    }

    /** A hub with {@code group radius local}, and our client holding {@code passcodes}, through Xauth's first ask. */
    private record Challenged(HostCore hub, Wire wh, HostCore client, Wire wc) {
        static Challenged start(List<String> passcodes) {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            hubPolicy.loginLists.put("clientauth", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius"),
                    dev.vpnrouter.config.model.AaaMethod.of(dev.vpnrouter.config.model.AaaMethod.Kind.LOCAL)));
            Wire wh = new Wire();
            Wire wc = new Wire();
            HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
            HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                    SimRouter.seededRandom(3)), wc);
            client.run(e -> e.connectClient(RemoteAccessTest.seedClient("pin1234").withPasscodes(passcodes), 0));
            exchange(client, wc, hub, wh, 0);
            return new Challenged(hub, wh, client, wc);
        }

        /** The server challenges the latest ask; the client's answer (if any) reaches the hub. */
        void challenge(String message, long now) {
            hub.challenged(wh.asked.getLast(), new dev.vpnrouter.policy.LoginChallenge("radius", message,
                    new byte[] {7, 7, (byte) wh.asked.size()}), now);
            exchange(client, wc, hub, wh, now);
        }
    }

    /**
     * Issue 15: a server's Access-Challenge (a token card's next passcode) becomes another Xauth REQUEST with
     * XAUTH_MESSAGE and XAUTH_PASSCODE; our client answers with its passcode, which goes back to the challenging
     * group alone with the server's State, and the server's Accept lets the client in. A stale challenge changes
     * nothing.
     */
    @Test
    void anAccessChallengeAsksTheUserForTheNextPasscode() {
        Challenged c = Challenged.start(List.of("654321"));
        IkeEffect.Authenticate first = c.wh().asked.getFirst();
        assertThat(first.answering()).isNull();
        assertThat(first.password()).isEqualTo("pin1234");

        c.hub().challenged(new IkeEffect.Authenticate(first.connId(), first.ticket() + 1, first.list(), first.user(),
                first.password(), first.peerAddress(), null), new dev.vpnrouter.policy.LoginChallenge("radius", "x",
                null), 5);
        assertThat(c.wh().out).as("a stale challenge").isEmpty();

        c.challenge("Enter the next passcode\u0007", 10);
        assertThat(c.wh().asked).hasSize(2);
        IkeEffect.Authenticate answer = c.wh().asked.getLast();
        assertThat(answer.answering()).isNotNull();
        assertThat(answer.answering().group()).isEqualTo("radius");
        assertThat(answer.answering().state()).containsExactly(7, 7, 1);
        assertThat(answer.answering().message()).as("control characters blanked").isEqualTo("Enter the next passcode ");
        assertThat(answer.user()).isEqualTo("gfullage");
        assertThat(answer.password()).isEqualTo("654321");
        assertThat(answer.toString()).doesNotContain("654321");
        assertThat(c.hub().engine().childSas()).isEmpty();

        c.hub().authenticated(answer, true, 20);
        exchange(c.client(), c.wc(), c.hub(), c.wh(), 20);
        assertThat(c.hub().engine().childSas()).isNotEmpty();
        assertThat(c.wc().installed).isNotEmpty();
    }

    /**
     * Issue 15, hostile server: one that challenges every answer gets at most {@value XauthServer#MAX_CHALLENGES}
     * answers, then the login fails (no SA, no tunnel); a client without passcodes gives up at the first challenge.
     */
    @Test
    void aServerThatKeepsChallengingFailsTheLogin() {
        Challenged c = Challenged.start(List.of("1", "2", "3", "4", "5"));
        for (int i = 1; i <= XauthServer.MAX_CHALLENGES; i++) {
            c.challenge("again", 10L * i);
            assertThat(c.wh().asked).hasSize(i + 1);
            assertThat(c.wh().asked.getLast().password()).isEqualTo(String.valueOf(i));
        }
        c.challenge("again", 100);
        assertThat(c.wh().asked).as("no answer asked for past the bound").hasSize(XauthServer.MAX_CHALLENGES + 1);
        assertThat(c.hub().engine().ikeSas()).as("the login failed and the SA went").isEmpty();
        assertThat(c.wc().installed).isEmpty();
        assertThat(c.hub().engine().counters().authFailures).isEqualTo(1);

        Challenged none = Challenged.start(List.of());
        none.challenge("Enter the next passcode", 10);
        assertThat(none.wh().asked).as("the client has no passcode to give").hasSize(1);
        assertThat(none.wc().installed).isEmpty();
    }

    /** Issue 15: Framed-IP-Address inside the group's pool is the client's Mode Config address. */
    @Test
    void framedIpAddressInsideThePoolIsTheClientsAddress() {
        int c1 = Ipv4.parse("198.51.100.200");
        RadiusLogin l = RadiusLogin.start(c1, 0);
        l.accept(new dev.vpnrouter.policy.UserAuthorization(Ipv4.parse("10.5.5.77"), null, 0), 10);
        assertThat(l.hubSaOf(c1).assignedAddress()).isEqualTo(Ipv4.parse("10.5.5.77"));
        assertThat(l.wc().installed).isNotEmpty();
    }

    /**
     * Issue 15, hostile server answers: a Framed-IP-Address outside every pool of the group, one another peer holds
     * (even for the same user), or a Framed-Pool the configuration lacks refuses the client; no address is given.
     */
    @Test
    void aFramedAddressTheConfigurationDoesNotOfferIsRefused() {
        int c1 = Ipv4.parse("198.51.100.200");
        RadiusLogin l = RadiusLogin.start(c1, 0);
        l.accept(new dev.vpnrouter.policy.UserAuthorization(Ipv4.parse("10.9.9.9"), null, 0), 10);
        assertThat(l.hub().engine().childSas()).as("outside the pool").isEmpty();
        assertThat(l.wc().installed).isEmpty();
        assertThat(l.hubSaOf(c1)).as("the SA is gone").isNull();

        RadiusLogin ok = l.another(Ipv4.parse("198.51.100.201"), 100);
        ok.accept(new dev.vpnrouter.policy.UserAuthorization(Ipv4.parse("10.5.5.20"), null, 0), 110);
        assertThat(ok.hubSaOf(Ipv4.parse("198.51.100.201")).assignedAddress()).isEqualTo(Ipv4.parse("10.5.5.20"));

        RadiusLogin twice = ok.another(Ipv4.parse("198.51.100.202"), 200);
        twice.accept(new dev.vpnrouter.policy.UserAuthorization(Ipv4.parse("10.5.5.20"), null, 0), 210);
        assertThat(twice.hubSaOf(Ipv4.parse("198.51.100.202"))).as("held by another peer").isNull();
        assertThat(twice.wc().installed).isEmpty();

        RadiusLogin noPool = twice.another(Ipv4.parse("198.51.100.203"), 300);
        noPool.accept(new dev.vpnrouter.policy.UserAuthorization(0, "nosuchpool", 0), 310);
        assertThat(noPool.hubSaOf(Ipv4.parse("198.51.100.203"))).as("a pool not configured").isNull();
        assertThat(noPool.wc().installed).isEmpty();
        assertThat(ok.hubSaOf(Ipv4.parse("198.51.100.201")).assignedAddress()).as("the holder keeps its address")
                .isEqualTo(Ipv4.parse("10.5.5.20"));
    }

    /**
     * Issue 15: a user's own attributes from its Accept win over the group's in Mode Config (DNS, domain,
     * include-local-lan); a hostile server's user-vpn-group naming another group refuses the login (a group lock),
     * so the user gets no tunnel through testgroup.
     */
    @Test
    void aUsersOwnAttributesOverrideTheGroupAndItsGroupLockHolds() {
        int c1 = Ipv4.parse("198.51.100.200");
        RadiusLogin l = RadiusLogin.start(c1, 0);
        l.accept(new dev.vpnrouter.policy.UserAuthorization(0, null, 0, List.of(Ipv4.parse("10.9.9.1")), List.of(),
                "sales.example", true, null, "testgroup"), 10);
        assertThat(l.wc().configured).singleElement().satisfies(c -> {
            assertThat(c.dns()).containsExactly(Ipv4.parse("10.9.9.1"));
            assertThat(c.domain()).isEqualTo("sales.example");
            assertThat(c.includeLocalLan()).isTrue();
            assertThat(c.wins()).as("the group's").containsExactly(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4"));
        });
        assertThat(l.wc().installed).isNotEmpty();

        int c2 = Ipv4.parse("198.51.100.201");
        RadiusLogin locked = l.another(c2, 100);
        locked.accept(new dev.vpnrouter.policy.UserAuthorization(0, null, 0, List.of(), List.of(), null, null, null,
                "sales"), 110);
        assertThat(locked.hubSaOf(c2)).as("locked to another group").isNull();
        assertThat(locked.wc().installed).isEmpty();
        assertThat(locked.wc().configured).isEmpty();
    }

    /** Issue 15: Session-Timeout bounds phase 1; at the bound the SA goes as an expired one does. */
    @Test
    void sessionTimeoutBoundsPhaseOne() {
        int c1 = Ipv4.parse("198.51.100.200");
        RadiusLogin l = RadiusLogin.start(c1, 0);
        l.accept(new dev.vpnrouter.policy.UserAuthorization(0, null, 60), 10);
        IkeSaView sa = l.hubSaOf(c1);
        assertThat(sa.remainingSeconds(10)).isBetween(59L, 60L);
        assertThat(sa.assignedAddress()).as("the pool picks").isNotZero();
        l.hub().tick(61_000);
        assertThat(l.hubSaOf(c1)).isNull();
    }

    /** The seed hub without its client group: the VPNclient profile's isakmp authorization list asks RADIUS. */
    private static TestPolicy hubWithoutLocalGroup() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.groups.remove("testgroup");
        hubPolicy.profiles.set(0, new Object[] {new dev.vpnrouter.ike.cfg.PeerProfile("VPNclient", null, true,
                "testgroup", false, 0, 0, "clientauth", true, "groupauthor"), "group", "testgroup"});
        hubPolicy.networkLists.put("groupauthor", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius")));
        return hubPolicy;
    }

    /** What FreeRADIUS's AV-pairs give for testgroup: the seed's key, and DNS, WINS and domain of its own. */
    private static dev.vpnrouter.ike.cfg.ClientGroup serverGroup() {
        return dev.vpnrouter.ike.cfg.ClientGroup.basic("testgroup", "cisco321".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), List.of(Ipv4.parse("10.2.2.2")),
                List.of(Ipv4.parse("10.6.6.6")), "radius.example", "ippool");
    }

    /**
     * Issue 15: a group only the authorization servers know: AM2 waits for their answer (nothing goes to the client
     * before it, nothing is decided on the loop), a stale answer changes nothing, and the servers' group then
     * authenticates the client and gives its Mode Config.
     */
    @Test
    void aGroupOnlyTheServersKnowWaitsForThemBeforeAm2() {
        TestPolicy hubPolicy = hubWithoutLocalGroup();
        Wire wh = new Wire();
        Wire wc = new Wire();
        HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        deliver(wc, hub, 0);
        assertThat(wh.groupsAsked).singleElement().satisfies(g -> {
            assertThat(g.group()).isEqualTo("testgroup");
            assertThat(g.list()).isEqualTo("groupauthor");
            assertThat(g.peerAddress()).isEqualTo(Ipv4.parse("198.51.100.200"));
        });
        assertThat(wh.out).as("no AM2 before the servers answer").isEmpty();

        IkeEffect.AuthorizeGroup asked = wh.groupsAsked.getFirst();
        hub.groupAuthorized(new IkeEffect.AuthorizeGroup(asked.connId(), asked.ticket() + 1, asked.list(),
                asked.group(), asked.peerAddress()), serverGroup(), 10);
        assertThat(wh.out).as("a stale answer").isEmpty();
        hub.groupAuthorized(asked, serverGroup(), 20);
        exchange(client, wc, hub, wh, 20);
        assertThat(hub.engine().childSas()).isNotEmpty();
        assertThat(wc.configured).singleElement().satisfies(c -> {
            assertThat(c.dns()).containsExactly(Ipv4.parse("10.2.2.2"));
            assertThat(c.wins()).containsExactly(Ipv4.parse("10.6.6.6"));
            assertThat(c.domain()).isEqualTo("radius.example");
            assertThat(c.address()).isBetween(TestPolicy.HUB_POOL_FIRST, TestPolicy.HUB_POOL_LAST);
        });
    }

    /** Issue 15, hostile: a group no server grants gets a decoy key, exactly as a wrong key would; no one gets in. */
    @Test
    void aGroupNoServerGrantsLooksLikeAWrongKey() {
        TestPolicy hubPolicy = hubWithoutLocalGroup();
        Wire wh = new Wire();
        Wire wc = new Wire();
        HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        deliver(wc, hub, 0);
        hub.groupAuthorized(wh.groupsAsked.getFirst(), null, 10);
        assertThat(wh.out).as("AM2 with a decoy key").hasSize(1);
        exchange(client, wc, hub, wh, 10);
        assertThat(hub.engine().childSas()).isEmpty();
        assertThat(wc.configured).isEmpty();
        // AM2's HASH_R was made with a key the client does not hold: the client refuses it, as for a wrong key.
        assertThat(client.engine().counters().lastFailure).contains("HASH_R");
        assertThat(hub.engine().counters().phase1Completed).isZero();
        assertThat(hub.engine().counters().internalErrors).isZero();
    }

    /**
     * Issue 15: a RADIUS server that never answers stalls no one else: while one client's Xauth waits for its
     * verdict, another client logs in and gets its tunnel, and the first still gets in when its answer comes.
     */
    @Test
    void aVerdictThatDoesNotComeStallsNoOtherClient() {
        int c1 = Ipv4.parse("198.51.100.200");
        int c2 = Ipv4.parse("198.51.100.201");
        RadiusLogin first = RadiusLogin.start(c1, 0);
        IkeEffect.Authenticate waiting = first.wh().asked.getLast();
        RadiusLogin second = first.another(c2, 1_000);
        assertThat(second.wh().asked).hasSize(2);
        second.accept(dev.vpnrouter.policy.UserAuthorization.NONE, 1_100);
        assertThat(second.wc().installed).as("the second client is in").isNotEmpty();
        assertThat(first.wc().installed).as("the first still waits").isEmpty();
        assertThat(first.hubSaOf(c1)).isNotNull();
        first.hub().authenticated(waiting, true, 5_000);
        exchange(first.client(), first.wc(), first.hub(), first.wh(), 5_000);
        assertThat(first.wc().installed).as("the first gets in when its answer comes").isNotEmpty();
    }

    /** The seed hub whose VPNclient profile accounts through list acct (group radius), Interim every minute. */
    private static TestPolicy accountingHub(boolean listDefined) {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.profiles.set(0, new Object[] {new dev.vpnrouter.ike.cfg.PeerProfile("VPNclient", null, true,
                "testgroup", false, 0, 0, "clientauth", true, null, "acct"), "group", "testgroup"});
        if (listDefined) {
            hubPolicy.accountingLists.put("acct", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius")));
        }
        hubPolicy.accountingPeriodicMinutes = 1;
        return hubPolicy;
    }

    /**
     * Issue 15: a session is accounted from the moment Mode Config gave the client its address (Start with user,
     * framed address, calling station), every minute (Interim, with its IPsec SAs), and to its end: Stop before its
     * IPsec SAs are deleted (so the host reads their counters), Admin-Reset on clear crypto isakmp, User-Request on
     * the client's Delete. A list that is not defined accounts nothing.
     */
    @Test
    void aSessionIsAccountedFromModeConfigToItsEnd() {
        Wire wh = new Wire();
        HostCore hub = new HostCore(new IkeEngine(accountingHub(true), HUB, SimRouter.seededRandom(1)), wh);
        int c1 = Ipv4.parse("198.51.100.200");
        Wire wc = new Wire();
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), c1, SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        assertThat(hub.engine().childSas()).isNotEmpty();
        IkeEffect.Account start = wh.accounts.getFirst();
        assertThat(wh.accounts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.START);
            assertThat(a.list()).isEqualTo("acct");
            assertThat(a.user()).isEqualTo("gfullage");
            assertThat(a.framedAddress()).isBetween(TestPolicy.HUB_POOL_FIRST, TestPolicy.HUB_POOL_LAST);
            assertThat(a.callingStation()).isEqualTo("198.51.100.200");
            assertThat(a.sessionId()).hasSize(16);
        });

        hub.run(e -> e.tick(30_000));
        assertThat(wh.accounts).as("no Interim before a minute").hasSize(1);
        hub.run(e -> e.tick(60_000));
        assertThat(wh.accounts).hasSize(2).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.INTERIM);
            assertThat(a.sessionId()).isEqualTo(start.sessionId());
            assertThat(a.children()).isNotEmpty();
        });

        wh.observed.clear();
        hub.run(e -> e.clearIsakmp(70_000));
        assertThat(wh.accounts).hasSize(3).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.STOP);
            assertThat(a.cause()).isEqualTo(IkeEffect.Account.Cause.ADMIN_RESET);
            assertThat(a.sessionId()).isEqualTo(start.sessionId());
            assertThat(a.children()).isNotEmpty();
            assertThat(a.atMillis() - a.startedAtMillis()).isEqualTo(70_000);
        });
        int stopAt = wh.observed.indexOf(wh.accounts.getLast());
        assertThat(wh.observed.subList(0, stopAt)).as("Stop before the IPsec SAs go")
                .noneMatch(e -> e instanceof IkeEffect.DeleteChild);
        assertThat(wh.observed.subList(stopAt, wh.observed.size()))
                .anyMatch(e -> e instanceof IkeEffect.DeleteChild);
        hub.run(e -> e.tick(200_000));
        assertThat(wh.accounts).as("nothing after the Stop").hasSize(3);

        // The client logs out: its Delete is a User-Request.
        Wire wc2 = new Wire();
        int c2 = Ipv4.parse("198.51.100.201");
        HostCore client2 = new HostCore(new IkeEngine(TestPolicy.client(), c2, SimRouter.seededRandom(4)), wc2);
        client2.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 300_000));
        exchange(client2, wc2, hub, wh, 300_000);
        assertThat(wh.accounts).hasSize(4).last().satisfies(a -> assertThat(a.kind())
                .isEqualTo(IkeEffect.Account.Kind.START));
        client2.run(e -> e.clearIsakmp(310_000));
        exchange(client2, wc2, hub, wh, 310_000);
        assertThat(wh.accounts).hasSize(5).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.STOP);
            assertThat(a.cause()).isEqualTo(IkeEffect.Account.Cause.USER_REQUEST);
            assertThat(a.callingStation()).isEqualTo("198.51.100.201");
        });

        // A profile whose list is not defined accounts nothing.
        Wire wq = new Wire();
        HostCore quiet = new HostCore(new IkeEngine(accountingHub(false), HUB, SimRouter.seededRandom(1)), wq);
        Wire wc3 = new Wire();
        HostCore client3 = new HostCore(new IkeEngine(TestPolicy.client(), c1, SimRouter.seededRandom(5)), wc3);
        client3.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client3, wc3, quiet, wq, 0);
        assertThat(quiet.engine().childSas()).isNotEmpty();
        assertThat(wq.accounts).isEmpty();
    }

    /** Issue 15: a session the server's Session-Timeout ends stops with Session-Timeout, its counters' SAs named. */
    @Test
    void sessionTimeoutStopsTheSessionWithItsCause() {
        TestPolicy hubPolicy = accountingHub(true);
        hubPolicy.loginLists.put("clientauth", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius")));
        Wire wh = new Wire();
        HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
        int c1 = Ipv4.parse("198.51.100.200");
        Wire wc = new Wire();
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), c1, SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        assertThat(wh.accounts).as("no Start before the login and Mode Config").isEmpty();
        hub.authenticated(wh.asked.getLast(), true, new dev.vpnrouter.policy.UserAuthorization(0, null, 50), 10);
        exchange(client, wc, hub, wh, 10);
        assertThat(wh.accounts).singleElement().satisfies(a -> assertThat(a.kind())
                .isEqualTo(IkeEffect.Account.Kind.START));
        hub.run(e -> e.tick(51_000));
        assertThat(wh.accounts).hasSize(2).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.STOP);
            assertThat(a.cause()).isEqualTo(IkeEffect.Account.Cause.SESSION_TIMEOUT);
            assertThat(a.children().size() + a.ended().size()).isPositive();
        });
    }

    /** The router stopping ({@code run}'s SIGTERM): a live session's Stop says Admin-Reboot, with its Deletes. */
    @Test
    void aSessionLiveWhenTheRouterStopsEndsWithAdminReboot() {
        Wire wh = new Wire();
        HostCore hub = new HostCore(new IkeEngine(accountingHub(true), HUB, SimRouter.seededRandom(1)), wh);
        Wire wc = new Wire();
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        assertThat(wh.accounts).singleElement().satisfies(a -> assertThat(a.kind())
                .isEqualTo(IkeEffect.Account.Kind.START));
        hub.run(e -> e.shutdown(5_000));
        assertThat(wh.accounts).hasSize(2).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.STOP);
            assertThat(a.cause()).isEqualTo(IkeEffect.Account.Cause.ADMIN_REBOOT);
        });
        assertThat(hub.engine().ikeSaCount()).isZero();
    }

    /**
     * A server's Session-Timeout longer than the ISAKMP lifetime does not end the session: the lifetime does, and
     * the Stop says NAS-Request, not Session-Timeout.
     */
    @Test
    void aSessionTimeoutLongerThanTheLifetimeIsNotTheStopsCause() {
        TestPolicy hubPolicy = accountingHub(true);
        hubPolicy.loginLists.put("clientauth", List.of(dev.vpnrouter.config.model.AaaMethod.group("radius")));
        Wire wh = new Wire();
        HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
        int c1 = Ipv4.parse("198.51.100.200");
        Wire wc = new Wire();
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), c1, SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        hub.authenticated(wh.asked.getLast(), true, new dev.vpnrouter.policy.UserAuthorization(0, null, 10_000_000),
                10);
        exchange(client, wc, hub, wh, 10);
        long remaining = hub.engine().ikeSas().iterator().next().remainingSeconds(10);
        assertThat(remaining).as("the lifetime, not the Session-Timeout").isLessThan(10_000_000);
        hub.run(e -> e.tick(10 + (remaining + 1) * 1000));
        assertThat(wh.accounts).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.STOP);
            assertThat(a.cause()).isEqualTo(IkeEffect.Account.Cause.NAS_REQUEST);
        });
    }

    /** Issue 15: a client that stops answering DPD ends its session with Stop Lost-Carrier. */
    @Test
    void aDeadClientsSessionStopsWithLostCarrier() {
        TestPolicy hubPolicy = accountingHub(true);
        hubPolicy.dpd = 10;
        Wire wh = new Wire();
        HostCore hub = new HostCore(new IkeEngine(hubPolicy, HUB, SimRouter.seededRandom(1)), wh);
        Wire wc = new Wire();
        HostCore client = new HostCore(new IkeEngine(TestPolicy.client(), Ipv4.parse("198.51.100.200"),
                SimRouter.seededRandom(3)), wc);
        client.run(e -> e.connectClient(RemoteAccessTest.seedClient("gfullage"), 0));
        exchange(client, wc, hub, wh, 0);
        assertThat(wh.accounts).hasSize(1);
        for (long t = 1_000; t <= 300_000 && wh.accounts.getLast().kind() != IkeEffect.Account.Kind.STOP;
                t += 1_000) {
            long now = t;
            hub.run(e -> e.tick(now)); // the client hears nothing and says nothing
            wh.out.clear();
        }
        assertThat(wh.accounts).last().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(IkeEffect.Account.Kind.STOP);
            assertThat(a.cause()).isEqualTo(IkeEffect.Account.Cause.LOST_CARRIER);
        });
    }
}
