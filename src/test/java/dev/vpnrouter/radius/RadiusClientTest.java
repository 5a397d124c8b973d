package dev.vpnrouter.radius;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.radius.RadiusClient.Effect;
import dev.vpnrouter.radius.RadiusClient.Outcome;
import dev.vpnrouter.radius.RadiusClient.Request;
import dev.vpnrouter.radius.RadiusClient.Server;
import dev.vpnrouter.radius.RadiusClient.Settings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sans-IO RADIUS client: retransmission with the same identifier and authenticator, failover to the next
 * server as a new request, dead time, NoAnswer when every server is silent (an ERROR, so the method list moves
 * on), and responses that are forged, late, from elsewhere or malformed dropped and counted.
 */
class RadiusClientTest {
    private static final byte[] KEY_A = "alpha-secret".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_B = "bravo-secret".getBytes(StandardCharsets.US_ASCII);
    private static final Server A = new Server("A", Ipv4.parse("192.0.2.10"), 1812, KEY_A);
    private static final Server B = new Server("B", Ipv4.parse("192.0.2.11"), 1812, KEY_B);
    private static final Settings FAST = new Settings(1_000, 2, 60_000, 4, true);

    private static Request login(String user, String password) {
        return Request.access(List.of(Attribute.text(Attribute.USER_NAME, user)),
                password.getBytes(StandardCharsets.UTF_8));
    }

    private static Effect.Send send(List<Effect> effects) {
        assertThat(effects).hasSize(1).first().isInstanceOf(Effect.Send.class);
        return (Effect.Send) effects.getFirst();
    }

    /** What a server with {@code key} answers to {@code datagram}. */
    private static byte[] answer(byte[] datagram, int code, byte[] key) {
        return RadiusPacket.response(code, datagram[1] & 0xff, Arrays.copyOfRange(datagram, 4, 20),
                List.of(Attribute.text(Attribute.REPLY_MESSAGE, "hello")), key);
    }

    @Test
    void anAcceptEndsTheRequestAndAForgedOrLateOneIsDropped() throws Exception {
        RadiusClient c = new RadiusClient(List.of(A, B), FAST, new SplittableRandom(1));
        Effect.Send s = send(c.submit(42, login("gfullage", "cisco"), 0));
        assertThat(s.server()).isEqualTo(A);
        RadiusPacket sent = RadiusPacket.decode(s.datagram(), s.datagram().length);
        assertThat(new String(RadiusPacket.revealPassword(sent.first(Attribute.USER_PASSWORD).value(), KEY_A,
                sent.authenticator()), StandardCharsets.UTF_8)).isEqualTo("cisco");

        byte[] forged = answer(s.datagram(), RadiusPacket.ACCESS_ACCEPT, "guessed".getBytes());
        assertThat(c.receive(A.address(), 1812, forged, forged.length, 10)).isEmpty();
        assertThat(c.counters(0).badAuthenticators).isEqualTo(1);
        byte[] good = answer(s.datagram(), RadiusPacket.ACCESS_ACCEPT, KEY_A);
        assertThat(c.receive(B.address(), 1812, good, good.length, 10)).as("from the wrong server").isEmpty();
        assertThat(c.receive(A.address(), 1813, good, good.length, 10)).as("from the wrong port").isEmpty();
        assertThat(c.receive(A.address(), 1812, good, 12, 10)).as("cut short").isEmpty();
        assertThat(c.counters(0).malformed).isEqualTo(1);

        List<Effect> done = c.receive(A.address(), 1812, good, good.length, 20);
        assertThat(done).singleElement().isInstanceOfSatisfying(Effect.Done.class, d -> {
            assertThat(d.tag()).isEqualTo(42);
            assertThat(d.outcome()).isInstanceOfSatisfying(Outcome.Answered.class,
                    a -> assertThat(a.response().code()).isEqualTo(RadiusPacket.ACCESS_ACCEPT));
        });
        assertThat(c.receive(A.address(), 1812, good, good.length, 30)).as("a duplicate").isEmpty();
        assertThat(c.counters(0).unexpected).isEqualTo(1);
        assertThat(c.outstanding()).isZero();
        assertThat(c.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSilentServerIsRetriedThenTheNextServerGetsANewRequestThenNoAnswer() throws Exception {
        RadiusClient c = new RadiusClient(List.of(A, B), FAST, new SplittableRandom(2));
        Effect.Send first = send(c.submit(1, login("u", "p"), 0));
        assertThat(c.nextDeadline()).isEqualTo(1_000);
        assertThat(c.tick(999)).isEmpty();
        for (long t = 1_000; t <= 2_000; t += 1_000) {
            Effect.Send again = send(c.tick(t));
            assertThat(again.server()).isEqualTo(A);
            assertThat(again.datagram()).as("a retransmission is the same packet").isEqualTo(first.datagram());
        }
        Effect.Send moved = send(c.tick(3_000));
        assertThat(moved.server()).isEqualTo(B);
        RadiusPacket p = RadiusPacket.decode(moved.datagram(), moved.datagram().length);
        assertThat(new String(RadiusPacket.revealPassword(p.first(Attribute.USER_PASSWORD).value(), KEY_B,
                p.authenticator()))).as("hidden again under B's key").isEqualTo("p");
        assertThat(c.counters(0).timeouts).isEqualTo(1);
        assertThat(c.counters(0).retransmissions).isEqualTo(2);
        assertThat(c.counters(0).deadAt(3_000)).isTrue();

        // A's late answer to the old identifier no longer counts.
        byte[] late = answer(first.datagram(), RadiusPacket.ACCESS_ACCEPT, KEY_A);
        assertThat(c.receive(A.address(), 1812, late, late.length, 3_001)).isEmpty();

        send(c.tick(4_000));
        send(c.tick(5_000));
        List<Effect> end = c.tick(6_000);
        assertThat(end).singleElement().isInstanceOfSatisfying(Effect.Done.class,
                d -> assertThat(d.outcome()).isInstanceOf(Outcome.NoAnswer.class));
        assertThat(c.outstanding()).isZero();

        // Both dead now: a new request still goes out (to the first), rather than failing unheard.
        assertThat(send(c.submit(2, login("u", "p"), 6_500)).server()).isEqualTo(A);
        // B's dead time ends first... but A is tried first again once live: dead servers are skipped while others live.
        RadiusClient d = new RadiusClient(List.of(A, B), FAST, new SplittableRandom(3));
        d.submit(3, login("u", "p"), 0);
        d.tick(1_000);
        d.tick(2_000);
        d.tick(3_000); // A dead until 63,000
        assertThat(send(d.submit(4, login("u", "p"), 3_500)).server()).as("A is dead: B first").isEqualTo(B);
    }

    @Test
    void tooManyRequestsInFlightEndAtOnceAndARejectIsAnAnswer() throws Exception {
        RadiusClient c = new RadiusClient(List.of(A), FAST, new SplittableRandom(4));
        Effect.Send s = null;
        for (int i = 0; i < 4; i++) {
            s = send(c.submit(i, login("u" + i, "p"), 0));
        }
        assertThat(c.submit(99, login("x", "p"), 0)).singleElement().isInstanceOfSatisfying(Effect.Done.class,
                d -> assertThat(d.outcome()).isInstanceOf(Outcome.NoAnswer.class));
        byte[] reject = answer(s.datagram(), RadiusPacket.ACCESS_REJECT, KEY_A);
        assertThat(c.receive(A.address(), 1812, reject, reject.length, 5)).singleElement()
                .isInstanceOfSatisfying(Effect.Done.class, d -> assertThat(((Outcome.Answered) d.outcome())
                        .response().code()).isEqualTo(RadiusPacket.ACCESS_REJECT));
        assertThat(c.counters(0).rejects).isEqualTo(1);
        // An accounting answer to an access request does not fit it.
        Effect.Send t = send(c.submit(7, login("y", "p"), 6));
        byte[] wrongKind = RadiusPacket.response(RadiusPacket.ACCOUNTING_RESPONSE, t.datagram()[1] & 0xff,
                Arrays.copyOfRange(t.datagram(), 4, 20), List.of(), KEY_A);
        assertThat(c.receive(A.address(), 1812, wrongKind, wrongKind.length, 7)).isEmpty();
    }

    @Test
    void accountingIsSignedAndAnsweredByAnAccountingResponse() throws Exception {
        RadiusClient c = new RadiusClient(List.of(A), Settings.IOS_DEFAULTS, new SplittableRandom(5));
        Effect.Send s = send(c.submit(5, Request.accounting(List.of(Attribute.integer(Attribute.ACCT_STATUS_TYPE,
                1))), 0));
        assertThat(RadiusPacket.accountingRequestAuthentic(s.datagram(), s.datagram().length, KEY_A)).isTrue();
        byte[] ok = RadiusPacket.response(RadiusPacket.ACCOUNTING_RESPONSE, s.datagram()[1] & 0xff,
                Arrays.copyOfRange(s.datagram(), 4, 20), List.of(), KEY_A);
        assertThat(c.receive(A.address(), 1812, ok, ok.length, 1)).singleElement().isInstanceOf(Effect.Done.class);
        assertThat(c.counters(0).accountingResponses).isEqualTo(1);
    }

    @Test
    void aGroupAsksOnlyItsOwnServersInItsOwnOrderAndSharesTheirDeadTime() {
        RadiusClient c = new RadiusClient(List.of(A, B), FAST, new SplittableRandom(9));
        Effect.Send first = send(c.submit(1, login("u", "p"), new int[] {1}, 0));
        assertThat(first.server()).as("a group of B alone").isEqualTo(B);
        c.tick(1_000);
        c.tick(2_000);
        assertThat(c.tick(3_000)).singleElement().isInstanceOfSatisfying(Effect.Done.class,
                d -> assertThat(d.outcome()).isInstanceOf(Outcome.NoAnswer.class));
        assertThat(c.counters(1).timeouts).isEqualTo(1);
        assertThat(c.counters(1).failovers).as("nowhere to go").isZero();
        assertThat(c.counters(1).deadCount).isEqualTo(1);
        assertThat(send(c.submit(2, login("u", "p"), new int[] {1, 0}, 3_500)).server())
                .as("B is dead for every group: A first").isEqualTo(A);
        assertThat(c.counters(1).deadMillis(4_000)).isEqualTo(1_000);
    }

    @Test
    void requestsTimingOutInOneOutageCountOneDeadPeriod() {
        RadiusClient c = new RadiusClient(List.of(A, B), FAST, new SplittableRandom(10));
        send(c.submit(1, login("u", "p"), new int[] {1}, 0));
        send(c.submit(2, login("v", "q"), new int[] {1}, 0));
        c.tick(1_000);
        c.tick(2_000);
        assertThat(c.tick(3_000)).hasSize(2).allMatch(Effect.Done.class::isInstance);
        assertThat(c.counters(1).timeouts).isEqualTo(2);
        assertThat(c.counters(1).deadCount).as("one outage, one dead period").isEqualTo(1);
        assertThat(c.counters(1).deadMillis(4_000)).isEqualTo(1_000);
    }
}
