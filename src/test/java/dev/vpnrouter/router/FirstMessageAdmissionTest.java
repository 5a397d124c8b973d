package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FirstMessageAdmissionTest {
    private static final long SECOND = 1_000_000_000L;

    private static boolean admitted(FirstMessageAdmission a, int source, long now) {
        return a.admit(source, now) != FirstMessageAdmission.REFUSED;
    }

    @Test
    void onlyASourceWhoseBudgetIsWholeIsFresh() {
        FirstMessageAdmission a = new FirstMessageAdmission();
        int peer = Ipv4.parse("192.0.2.7");
        assertThat(a.admit(peer, 0)).as("never seen").isEqualTo(FirstMessageAdmission.FRESH);
        assertThat(a.admit(peer, SECOND / 1_000)).as("again at once").isEqualTo(FirstMessageAdmission.ADMITTED);
        assertThat(a.admit(peer, 2 * SECOND)).as("a retransmission 2 s later").isEqualTo(FirstMessageAdmission.FRESH);
        int flooder = Ipv4.parse("198.18.4.1");
        long t = 0;
        int fresh = 0;
        for (int i = 0; i < 10_000; i++, t += SECOND / 1_000) { // 1,000 a second for 10 s
            fresh += a.admit(flooder, t) == FirstMessageAdmission.FRESH ? 1 : 0;
        }
        assertThat(fresh).as("a flooding source is fresh once, at its first").isEqualTo(1);
    }

    @Test
    void aSourceGetsItsBurstThenItsRateAndNoMore() {
        FirstMessageAdmission a = new FirstMessageAdmission();
        int flooder = Ipv4.parse("198.18.4.7");
        long t = 123_456_789L;
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            admitted += admitted(a, flooder, t) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(FirstMessageAdmission.PER_SOURCE_BURST);
        // Over the next 10 s, 100,000 more: only the rate gets through.
        admitted = 0;
        for (int i = 1; i <= 100_000; i++) {
            admitted += admitted(a, flooder, t + i * (10 * SECOND / 100_000)) ? 1 : 0;
        }
        assertThat(admitted).isBetween(10 * FirstMessageAdmission.PER_SOURCE_PER_SECOND - 1,
                10 * FirstMessageAdmission.PER_SOURCE_PER_SECOND + 1);
        assertThat(a.refused()).isEqualTo(1_000 - FirstMessageAdmission.PER_SOURCE_BURST + 100_000 - admitted);
    }

    @Test
    void aNeverSeenSourceAlwaysGetsInWhileAThousandSourcesFlood() {
        FirstMessageAdmission a = new FirstMessageAdmission();
        int base = Ipv4.parse("198.18.4.0");
        long t = -5 * SECOND; // nanoTime may be negative
        for (int round = 0; round < 200; round++) {
            for (int s = 0; s < 1_000; s++) {
                a.admit(base + s, t);
            }
            t += SECOND / 1_000;
        }
        // Every flooder is past its budget now: the one its rate gave back since its last, then nothing...
        int flooding = 0;
        for (int s = 0; s < 1_000; s++) {
            for (int i = 0; i < 5; i++) {
                flooding += admitted(a, base + s, t) ? 1 : 0;
            }
        }
        assertThat(flooding).isEqualTo(1_000);
        // ...and 1,000 new peers each get in at once, their retransmission too.
        int newBase = Ipv4.parse("192.0.2.0");
        for (int p = 0; p < 1_000; p++) {
            assertThat(a.admit(newBase + p, t)).as("new peer %d", p).isEqualTo(FirstMessageAdmission.FRESH);
            assertThat(a.admit(newBase + p, t + 4 * SECOND)).as("its retransmission 4 s later")
                    .isEqualTo(FirstMessageAdmission.FRESH);
        }
    }

    @Test
    void aFloodOfEverNewSourcesPassesAndPushesOutTheLeastBusy() {
        FirstMessageAdmission a = new FirstMessageAdmission();
        int flooder = Ipv4.parse("203.0.113.9");
        long t = 0;
        for (int i = 0; i < 60; i++) {
            a.admit(flooder, t);
        }
        assertThat(a.admit(flooder, t)).isEqualTo(FirstMessageAdmission.REFUSED);
        int admitted = 0;
        for (int s = 0; s < 100_000; s++) {
            admitted += admitted(a, 0x0a000000 + s * 7919, t) ? 1 : 0;
        }
        assertThat(admitted).as("a source the table does not hold gets in").isEqualTo(100_000);
    }
}
