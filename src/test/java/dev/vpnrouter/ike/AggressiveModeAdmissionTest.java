package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: Aggressive Mode, which cannot wait for a peer to prove its address, is rate-limited per source and in
 * total; a flood from one source or from many costs at most the rates, and a real client still gets in.
 */
class AggressiveModeAdmissionTest {
    @Test
    void oneSourceGetsItsBurstThenItsRate() {
        AggressiveModeAdmission a = new AggressiveModeAdmission();
        int flood = Ipv4.parse("198.51.100.66");
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            admitted += a.admit(flood, 0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(AggressiveModeAdmission.PER_SOURCE_BURST);
        assertThat(a.admit(Ipv4.parse("192.0.2.7"), 0)).as("another source is not held up").isTrue();
        admitted = 0;
        for (long t = 1; t <= 1_000; t++) {
            admitted += a.admit(flood, t) ? 1 : 0;
        }
        assertThat(admitted).as("one second later").isEqualTo(AggressiveModeAdmission.PER_SOURCE_PER_SECOND);
    }

    @Test
    void manySourcesTogetherGetTheTotal() {
        AggressiveModeAdmission a = new AggressiveModeAdmission();
        int admitted = 0;
        for (int i = 0; i < 100_000; i++) {
            admitted += a.admit(Ipv4.parse("10.0.0.0") + i, 0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(AggressiveModeAdmission.TOTAL_BURST);
        admitted = 0;
        for (int i = 0; i < 100_000; i++) {
            admitted += a.admit(Ipv4.parse("10.8.0.0") + i, 1_000 + i / 100) ? 1 : 0; // 100,000 over one second
        }
        assertThat(admitted).isBetween(AggressiveModeAdmission.TOTAL_PER_SECOND,
                AggressiveModeAdmission.TOTAL_PER_SECOND * 2 + 1);
    }

    /** Spoofed AM1s beyond the rate get no AM2 at all: nothing is computed or reflected for them. */
    @Test
    void anAm1OverTheRateIsDroppedUnanswered() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        IkeEngine hub = new IkeEngine(hubPolicy, ExchangeReplay.HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
        ExchangeReplay client = new ExchangeReplay(ExchangeReplay.Peer.CLIENT, hubPolicy, hub, TestPolicy.client(),
                ExchangeReplay.CLIENT, ExchangeReplay.clientProfile("gfullage"));
        Datagram am1 = client.next();
        int answered = 0;
        for (int i = 0; i < 200; i++) {
            byte[] data = am1.data().clone();
            data[0] = (byte) i; // a new initiator cookie each time: a new negotiation
            data[1] = (byte) (i >> 8);
            hub.receive(new Datagram(am1.src(), am1.srcPort(), am1.dst(), am1.dstPort(), data), 0);
            answered += EngineBadInputTest.sends(hub.drain()).size();
        }
        assertThat(answered).isEqualTo(AggressiveModeAdmission.PER_SOURCE_BURST);
        assertThat(hub.counters().aggressiveModeRateLimited).isEqualTo(200 - AggressiveModeAdmission.PER_SOURCE_BURST);
    }
}
