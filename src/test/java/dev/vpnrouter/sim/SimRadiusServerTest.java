package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.radius.AccountingRecords;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.RadiusDecodeException;
import dev.vpnrouter.radius.RadiusPacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's RADIUS/IPAM stand-in, asked over the simulated internet with the packets a hub sends. */
class SimRadiusServerTest {
    private static final int SERVER = Ipv4.parse("192.0.2.9");
    private static final int HUB_A = Ipv4.parse("192.0.2.1");
    private static final int HUB_B = Ipv4.parse("192.0.2.2");
    private static final int STRANGER = Ipv4.parse("203.0.113.66");
    private static final int POOL = Ipv4.parse("10.5.5.1");
    private static final String SECRET = "s3cret";

    private final SimScheduler clock = new SimScheduler(0);
    private final SimNetwork net = new SimNetwork(clock, 1, FaultModel.PERFECT);
    private final SimRadiusServer server = new SimRadiusServer(net, SERVER, 1812, 1813, SECRET,
            Set.of(HUB_A, HUB_B), POOL, POOL + 2, 1, 3_600_000, 150_000)
            .user("alice", "pw-a").user("bob", "pw-b").user("carol", "pw-c").user("dave", "pw-d");
    private final List<RadiusPacket> atA = new ArrayList<>();
    private final List<RadiusPacket> atB = new ArrayList<>();
    private final List<RadiusPacket> atStranger = new ArrayList<>();
    private int identifier;

    SimRadiusServerTest() {
        net.attach(HUB_A, p -> atA.add(decode(p)));
        net.attach(HUB_B, p -> atB.add(decode(p)));
        net.attach(STRANGER, p -> atStranger.add(decode(p)));
    }

    private static RadiusPacket decode(SimPacket p) {
        try {
            return RadiusPacket.decode(p.payload(), p.payload().length);
        } catch (RadiusDecodeException e) {
            throw new AssertionError(e);
        }
    }

    /** An Access-Request as a hub sends it; the answer (or null when the stand-in dropped it). */
    private RadiusPacket login(int nas, String user, String password, String secret) {
        return login(nas, user, password, secret, "203.0.113.200");
    }

    private RadiusPacket login(int nas, String user, String password, String secret, String callingStation) {
        List<RadiusPacket> inbox = inbox(nas);
        int before = inbox.size();
        byte[] authenticator = new byte[16];
        authenticator[0] = (byte) ++identifier;
        byte[] request = RadiusPacket.accessRequest(identifier, authenticator, List.of(
                Attribute.text(Attribute.USER_NAME, user), Attribute.text(Attribute.CALLING_STATION_ID,
                        callingStation)), password.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
        net.send(SimPacket.udp(nas, 21_645, SERVER, 1812, request));
        clock.runUntil(clock.now() + 100);
        return inbox.size() > before ? inbox.getLast() : null;
    }

    private RadiusPacket login(int nas, String user, String password) {
        return login(nas, user, password, SECRET);
    }

    private void account(int nas, List<Attribute> record) {
        net.send(SimPacket.udp(nas, 21_645, SERVER, 1813, RadiusPacket.accountingRequest(++identifier, record,
                SECRET.getBytes(StandardCharsets.UTF_8))));
        clock.runUntil(clock.now() + 100);
    }

    private List<RadiusPacket> inbox(int nas) {
        return nas == HUB_A ? atA : nas == HUB_B ? atB : atStranger;
    }

    private static int framed(RadiusPacket accept) throws RadiusDecodeException {
        return (int) accept.first(Attribute.FRAMED_IP_ADDRESS).asInteger();
    }

    private static AccountingRecords.Session session(String id, String user, int address, int nas) {
        return new AccountingRecords.Session(id, user, address, "198.18.0.1", nas);
    }

    private static final AccountingRecords.Counters NOTHING = new AccountingRecords.Counters(0, 0, 0, 0, 0);

    @Test
    void acceptsTheRightPasswordWithAnAddressAndRejectsAWrongOne() throws RadiusDecodeException {
        RadiusPacket accept = login(HUB_A, "alice", "pw-a");
        assertThat(accept.code()).isEqualTo(RadiusPacket.ACCESS_ACCEPT);
        assertThat(framed(accept)).isEqualTo(POOL);
        assertThat(login(HUB_A, "alice", "pw-b").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        assertThat(login(HUB_A, "mallory", "pw-a").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        assertThat(server.counters().rejectedPassword).isEqualTo(2);
    }

    @Test
    void aReturningUserGetsItsAddressBackOnAnotherHub() throws RadiusDecodeException {
        int alice = framed(login(HUB_A, "alice", "pw-a"));
        account(HUB_A, AccountingRecords.start(session("A1", "alice", alice, HUB_A)));
        int bob = framed(login(HUB_A, "bob", "pw-b"));
        account(HUB_A, AccountingRecords.start(session("A2", "bob", bob, HUB_A)));
        account(HUB_A, AccountingRecords.stop(session("A1", "alice", alice, HUB_A), NOTHING,
                AccountingRecords.TerminateCause.USER_REQUEST));
        assertThat(bob).isNotEqualTo(alice);
        assertThat(framed(login(HUB_B, "alice", "pw-a"))).isEqualTo(alice);
        assertThat(server.leases()).hasSize(2).containsEntry(alice, "alice").containsEntry(bob, "bob");
    }

    @Test
    void simultaneousUseRefusesASecondLoginUntilTheFirstStopsOrGoesStale() throws RadiusDecodeException {
        int alice = framed(login(HUB_A, "alice", "pw-a"));
        account(HUB_A, AccountingRecords.start(session("A1", "alice", alice, HUB_A)));
        assertThat(login(HUB_B, "alice", "pw-a").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        // Interim-Updates keep the session open past the stale bound.
        for (int i = 0; i < 4; i++) {
            clock.runUntil(clock.now() + 60_000);
            account(HUB_A, AccountingRecords.interim(session("A1", "alice", alice, HUB_A), NOTHING));
        }
        assertThat(login(HUB_B, "alice", "pw-a").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        // Hub A dies: no more records, never a Stop. After the stale bound the session is closed.
        clock.runUntil(clock.now() + 149_000);
        assertThat(login(HUB_B, "alice", "pw-a").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        clock.runUntil(clock.now() + 1_000);
        RadiusPacket back = login(HUB_B, "alice", "pw-a");
        assertThat(back.code()).isEqualTo(RadiusPacket.ACCESS_ACCEPT);
        assertThat(framed(back)).isEqualTo(alice);
        assertThat(server.counters().rejectedSimultaneousUse).isEqualTo(3);
        assertThat(server.counters().staleSessionsClosed).isEqualTo(1);
    }

    @Test
    void theSameClientComingBackThroughAnotherHubIsNotASecondLogin() throws RadiusDecodeException {
        int alice = framed(login(HUB_A, "alice", "pw-a", SECRET, "198.18.0.1"));
        account(HUB_A, AccountingRecords.start(session("A1", "alice", alice, HUB_A)));
        // Another PC with alice's password: refused on either hub, even through the same one.
        assertThat(login(HUB_B, "alice", "pw-a", SECRET, "198.18.0.99").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        assertThat(login(HUB_A, "alice", "pw-a", SECRET, "198.18.0.1").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        // Hub A died; alice's PC, from its same public address, comes back through hub B with its address.
        RadiusPacket back = login(HUB_B, "alice", "pw-a", SECRET, "198.18.0.1");
        assertThat(back.code()).isEqualTo(RadiusPacket.ACCESS_ACCEPT);
        assertThat(framed(back)).isEqualTo(alice);
        account(HUB_B, AccountingRecords.start(session("B1", "alice", alice, HUB_B)));
        // Now on hub B: a login from the same address through hub A again is the same client moving back.
        assertThat(login(HUB_B, "alice", "pw-a", SECRET, "198.18.0.99").code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        assertThat(server.counters().movedClients).isEqualTo(1);
        assertThat(server.counters().rejectedSimultaneousUse).isEqualTo(3);
    }

    @Test
    void anAddressGoesToAnotherUserOnlyAfterItsLeaseRanOutAndNeverTwice() throws RadiusDecodeException {
        for (String u : List.of("alice", "bob", "carol")) {
            int a = framed(login(HUB_A, u, "pw-" + u.charAt(0)));
            account(HUB_A, AccountingRecords.start(session(u, u, a, HUB_A)));
        }
        RadiusPacket full = login(HUB_A, "dave", "pw-d");
        assertThat(full.code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
        assertThat(server.counters().rejectedPoolExhausted).isEqualTo(1);
        int bob = server.leaseOf("bob");
        account(HUB_A, AccountingRecords.stop(session("bob", "bob", bob, HUB_A), NOTHING,
                AccountingRecords.TerminateCause.USER_REQUEST));
        RadiusPacket dave = login(HUB_A, "dave", "pw-d");
        assertThat(framed(dave)).isEqualTo(bob);
        assertThat(server.leaseOf("bob")).isZero();
        assertThat(server.leases()).hasSize(3).containsEntry(bob, "dave");
    }

    @Test
    void hostileRequestsAreDroppedUnanswered() {
        assertThat(login(STRANGER, "alice", "pw-a")).isNull(); // not a NAS of ours
        assertThat(login(HUB_A, "alice", "pw-a", "guessed")).isNull(); // wrong Message-Authenticator
        net.send(SimPacket.udp(HUB_A, 21_645, SERVER, 1812, new byte[] {1, 2, 0, 99}));
        net.send(SimPacket.udp(HUB_A, 21_645, SERVER, 1813, RadiusPacket.accountingRequest(7,
                AccountingRecords.start(session("X", "alice", POOL, HUB_A)), "guessed".getBytes())));
        clock.runUntil(clock.now() + 100);
        assertThat(atA).isEmpty();
        assertThat(atStranger).isEmpty();
        assertThat(server.counters().dropped).isEqualTo(4);
        assertThat(server.openSessions()).isZero();
        assertThat(server.counters().accepts).isZero();
    }
}
